from tests.matrix import Case, everyone

LOGIN_ONLY = everyone(200, anonymous=302)


def cases(world) -> list[Case]:
    return [
        Case("home", expect=LOGIN_ONLY),
        Case("login", expect=everyone(302, anonymous=200)),  # logged-in people are sent home
        Case("logout", method="post", expect=everyone(302)),
        Case("logout", expect=everyone(405)),
        Case("set_language", method="post", data={"language": "en"}, expect=everyone(302)),
        Case("set_language", expect=everyone(405)),
    ]
