def attempted_username(request, credentials):
    """The account a login attempt names, as django-axes should count it: letter case must not
    give an attacker five more tries."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.replace("\x00", "").strip().lower()
