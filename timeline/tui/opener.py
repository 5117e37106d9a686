"""Opening an address in the system's web browser, only when that cannot take over this terminal."""

from __future__ import annotations


def open_in_browser(url: str) -> bool:
    """Open ``url`` in a graphical browser; False when there is none (then the app shows the address).

    A text-mode browser (lynx, w3m, elinks: what ``webbrowser`` finds on a machine without a
    display) would run in the terminal the app is drawing in, so it counts as none.
    """
    import webbrowser

    if not url.startswith(("https://", "http://")):
        return False
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    background = isinstance(browser, webbrowser.BackgroundBrowser) or getattr(browser, "background", False)
    if isinstance(browser, (webbrowser.GenericBrowser, webbrowser.UnixBrowser)) and not background:
        return False
    try:
        return bool(browser.open(url, new=2))
    except (webbrowser.Error, OSError):
        return False
