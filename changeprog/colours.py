"""Colour contrast (WCAG 2.2, 1.4.3): a level or band's words must be readable on its colour, at least 4.5:1."""

from django.core.exceptions import ValidationError

MINIMUM_TEXT_CONTRAST = 4.5


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours written #RRGGBB, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_on(colour: str) -> str:
    """Near-black or white, whichever reads better on `colour`."""
    return "#0B0C0C" if contrast_ratio(colour, "#0B0C0C") >= contrast_ratio(colour, "#FFFFFF") else "#FFFFFF"


def check_text_contrast(colour: str, text_colour: str, *, field: str = "text_colour") -> None:
    """Refuse text that cannot be read on its background, naming the ratio and what would do."""
    try:
        ratio = contrast_ratio(colour, text_colour)
    except (ValueError, IndexError, AttributeError):
        return  # the colour fields' own validators name a malformed colour
    if ratio < MINIMUM_TEXT_CONTRAST:
        better = readable_text_on(colour)
        best = contrast_ratio(colour, better)
        name = "near-black" if better == "#0B0C0C" else "white"
        advice = (
            f"{better} ({name}) gives {best:.1f}:1."
            if best >= MINIMUM_TEXT_CONTRAST
            else "No text colour reads well enough on it: choose a darker or lighter background."
        )
        raise ValidationError(
            {
                field: f"Text in {text_colour} on {colour} has a contrast of {ratio:.2f}:1; it needs at least "
                f"{MINIMUM_TEXT_CONTRAST}:1 to be read (WCAG 2.2 AA). {advice}"
            }
        )
