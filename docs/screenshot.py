"""Make docs/browse.svg, the README's picture of `timeline browse`, with the app's own screenshot key.

Usage: python docs/screenshot.py   (the shipped data, 110x34, after a search for "singapore")
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from timeline.loader import load
from timeline.tui.app import BrowseApp


async def main() -> None:
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as folder:
        app = BrowseApp(load(None), opener=lambda url: False, folder=Path(folder))
        async with app.run_test(size=(110, 34)) as pilot:
            await pilot.pause()
            for key in ("slash", *"singapore summit", "enter", "j"):
                await pilot.press(key)
            await pilot.pause()
            await pilot.press("s")  # the app's screenshot key writes an SVG into the folder
            await pilot.pause()
        (shot,) = Path(folder).glob("*.svg")
        shutil.copyfile(shot, here / "browse.svg")
    print(f"wrote {here / 'browse.svg'}")


if __name__ == "__main__":
    asyncio.run(main())
