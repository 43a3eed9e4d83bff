"""Learning titles: criteria sets, nominations, decisions, certificates."""
