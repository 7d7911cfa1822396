from core.text import plain_excerpt, render_markdown


def test_markdown_is_rendered_and_scripts_never_reach_the_page():
    html = render_markdown(
        '**bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">'
    )
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<img" not in html  # typed markup is text: shown escaped, never an element
    assert "&lt;img src=x onerror=" in html


def test_typed_angle_brackets_read_as_written():
    """A plain-text mail or reply saying "<my order id>" or "<b>" keeps those words: before,
    raw HTML was taken as markup and the sanitizer dropped it, so they silently vanished."""
    assert render_markdown("press <Enter>, order <A-17>") == (
        "<p>press &lt;Enter&gt;, order &lt;A-17&gt;</p>"
    )
    assert render_markdown("גוף <b>x</b>") == "<p>גוף &lt;b&gt;x&lt;/b&gt;</p>"
    # Markdown's own syntax is still Markdown, autolinks included.
    assert '<a href="https://x.example"' in render_markdown("<https://x.example>")


def test_an_excerpt_is_plain_words_without_markup():
    body = (
        "# Export\nSee the [export documentation](https://example.test/x) for the "
        "*date and time*, wait <b>a bit</b> & retry."
    )
    assert plain_excerpt(body) == (
        "Export See the export documentation for the date and time, wait <b>a bit</b> & retry."
    )
    assert len(plain_excerpt("word " * 100, chars=40)) <= 40


def test_the_kept_converter_carries_nothing_from_one_text_to_the_next():
    """render_markdown reuses a converter: each text must read as if converted alone."""
    import markdown as md
    import nh3

    from core import text as module

    def alone(text):
        extensions = ["extra", "sane_lists", module._HtmlAsText()]
        html = md.markdown(text, extensions=extensions, output_format="html")
        return nh3.clean(
            html,
            tags=module.ALLOWED_TAGS,
            attributes=module.ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )

    texts = [
        "Secret[^1] about the HTML spec and [the link][ref].\n\n"
        "[^1]: Only for Alice.\n\n*[HTML]: Hyper Secret Markup\n\n[ref]: https://alice.test/private",
        "Another[^1] note on HTML with [the link][ref].",
        '<div markdown="1">*inside*</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |',
        "```\ncode <b>\n```\n\nTerm\n: Definition {: .x }",
        "1. one\n2. two\n\n* a\n* b",
        "",
    ]
    rendered = [module.render_markdown(t) for t in texts * 2]
    assert rendered == [alone(t) for t in texts * 2]
    assert "Only for Alice" not in rendered[1] and "alice.test" not in rendered[1]
    assert "Hyper Secret" not in rendered[1]
