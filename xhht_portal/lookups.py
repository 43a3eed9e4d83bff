"""``field__any_of=ids``: membership in a long list of ids, bound as one parameter.

Django's ``__in`` binds one parameter per id, and preparing, quoting and splitting 10,000 of them
costs more than the query itself (a national export looks up each target's values by the
approved reports' ids: 58 such lists of 10,800 ids). Register it on the field that needs it::

    SubmissionValue._meta.get_field("submission").register_lookup(AnyOf)
"""

from __future__ import annotations

import json

from django.db.models import Lookup


class AnyOf(Lookup):
    """``= ANY(%s::bigint[])`` on PostgreSQL, ``IN (SELECT value FROM json_each(%s))`` on SQLite."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, ids)
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", (*lhs_params, json.dumps(ids))
        if not ids:
            return "1 = 0", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)
