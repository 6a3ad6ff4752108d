"""Server-drawn pictures: one set of shapes, drawn as SVG for the page and the PDF and as PNG for Word."""

import io
from types import SimpleNamespace

from PIL import Image

from changeprog.drawing import to_png, to_svg
from reporting.figures import structure_figure

AMBER = SimpleNamespace(label="Amber", colour="#FFBF47", text_colour="#0B0C0C")


def test_names_in_a_picture_are_escaped_not_run():
    fig = structure_figure("Programme", [("<script>alert(1)</script>", AMBER, [("A & B", None)])])
    svg = str(to_svg(fig))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "A &amp; B" in svg


def test_a_picture_wraps_long_names_and_keys_every_colour_it_uses():
    long_name = "Vulnerability (Prevention/Engagement & Missing)"
    fig = structure_figure("Programme", [(long_name, AMBER, [("Project", None)])] * 6)
    head = fig["shapes"][0]
    assert len(head["lines"]) > 1 and " ".join(head["lines"]) == long_name
    legend = [s["text"] for s in fig["shapes"] if s["kind"] == "text"]
    assert legend == ["Amber", "No status recorded"]
    assert max(s["y"] for s in fig["shapes"] if s["kind"] == "box") > head["y"] + head["h"] * 3  # six wrap to a row


def test_the_png_is_the_same_picture_at_twice_the_size():
    fig = structure_figure("Programme", [("Force Control Room", AMBER, [])])
    image = Image.open(io.BytesIO(to_png(fig)))
    assert image.size == (fig["width"] * 2, fig["height"] * 2)
    assert image.getpixel((40, 40)) == (0xFF, 0xBF, 0x47)  # inside the Amber workstream box


def test_report_colours_come_from_a_stylesheet_that_drops_anything_but_a_colour():
    from changeprog.drawing import colour_class_name
    from reporting.figures import colour_stylesheet

    document = {
        "sections": [
            {
                "blocks": [
                    {
                        "type": "table",
                        "rows": [
                            [{"text": "Red", "colour": "#D4351C", "text_colour": "#ffffff"}],
                            [{"text": "Odd", "colour": "red;} body{display:none", "text_colour": "#000000"}],
                        ],
                    }
                ]
            }
        ]
    }
    css = colour_stylesheet(document)
    assert ".rc-D4351C-FFFFFF { background-color: #D4351C; color: #FFFFFF; }" in css
    assert "display" not in css and colour_class_name("red;}", "#000000") == "rc-000000-000000"
