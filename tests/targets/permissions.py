from tests.matrix import Case, everyone


def cases(world) -> list[Case]:
    return [
        Case("targets:plan", expect=everyone(200, anonymous=302)),
        Case("targets:plan_by_code", {"code": "ba-che-2016-2020"}, expect=everyone(200, anonymous=302)),
        Case("targets:plan_by_code", {"code": "khong-co"}, expect=everyone(404, anonymous=302)),
        Case("targets:plan", method="post", expect=everyone(405, anonymous=405)),
    ]
