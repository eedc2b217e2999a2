def progress(items, stream, label, total=None):
    """Yield `items`, drawing a progress bar on `stream` when it is a terminal."""
    total = len(items) if total is None else total
    interactive = getattr(getattr(stream, "_out", stream), "isatty", lambda: False)()
    step = max(total // 100, 1)
    for done, item in enumerate(items, start=1):
        if interactive and (done % step == 0 or done == total):
            filled = 30 * done // max(total, 1)
            bar = "#" * filled + "." * (30 - filled)
            stream.write(f"\r{label} [{bar}] {done:,}/{total:,}", ending="")
            stream.flush()
        yield item
    if interactive and total:
        stream.write("")
