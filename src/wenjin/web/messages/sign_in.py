"""Strings of signing in, shared by the OPAC and the staff client."""

MESSAGES: dict[str, tuple[str, str]] = {
    "signin.too_many": (
        "此地址登录失败次数过多，请 {minutes} 分钟后再试；如忘记密码，请联系图书馆。",
        "Too many failed sign-ins from this address; try again in {minutes} minutes. "
        "If you have forgotten your password, ask the library.",
    ),
}
