from tests.matrix import Case, everyone


def cases(world) -> list[Case]:
    return [
        # The load balancer and monitoring call it without logging in.
        Case("health", expect=everyone(200)),
        Case("health", method="post", expect=everyone(405)),
    ]
