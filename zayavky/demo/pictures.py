"""Small made-up pictures for the demo's evidence (2.5): a photo of the work and a scan of an act.

Drawn with Pillow (a dependency already: it checks uploaded photos), so the demo ships no image files and
each picture carries the request's number and the moment, as a camera's date stamp would.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def photo(caption: str, rng: random.Random) -> bytes:
    """A small made-up «photo of the work» (2.5): a yard, a house, and the camera's date stamp."""
    width, height = 320, 240
    image = Image.new("RGB", (width, height), (rng.randint(140, 190), rng.randint(165, 205), rng.randint(200, 235)))
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(130, 175)
    draw.rectangle((0, horizon, width, height), fill=(rng.randint(80, 120), rng.randint(95, 130), rng.randint(70, 95)))
    left, top = rng.randint(10, 150), rng.randint(25, 80)
    right = min(width - 10, left + rng.randint(90, 160))
    wall = rng.randint(170, 215)
    draw.rectangle((left, top, right, horizon), fill=(wall, wall - 8, wall - 20))
    for y in range(top + 10, horizon - 18, 22):
        for x in range(left + 8, right - 16, 24):
            draw.rectangle((x, y, x + 12, y + 12), fill=(60, 80, 110))
    draw.rectangle((0, height - 20, width, height), fill=(0, 0, 0))
    draw.text((6, height - 16), caption, fill=(255, 200, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def act_scan(caption: str, rng: random.Random) -> bytes:
    """A small made-up scan of an act of inspection (2.5): a page of lines with a stamp."""
    width, height = 240, 320
    image = Image.new("RGB", (width, height), (246, 245, 240))
    draw = ImageDraw.Draw(image)
    draw.text((95, 14), "AKT", fill=(20, 20, 20))
    draw.text((20, 30), caption, fill=(20, 20, 20))
    for y in range(60, 250, 12):
        draw.line((20, y, rng.randint(120, 220), y), fill=(90, 90, 90), width=2)
    cx, cy = rng.randint(150, 190), rng.randint(260, 285)
    draw.ellipse((cx - 26, cy - 26, cx + 26, cy + 26), outline=(40, 60, 170), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()
