from core.text import plain_excerpt, render_markdown


def test_markdown_is_rendered_and_scripts_never_reach_the_page():
    html = render_markdown(
        '**bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">'
    )
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_an_excerpt_is_plain_words_without_markup():
    body = (
        "# Export\nSee the [export documentation](https://example.test/x) for the "
        "*date and time*, wait <b>a bit</b> & retry."
    )
    assert plain_excerpt(body) == (
        "Export See the export documentation for the date and time, wait a bit & retry."
    )
    assert len(plain_excerpt("word " * 100, chars=40)) <= 40


def test_the_kept_converter_carries_nothing_from_one_text_to_the_next():
    """render_markdown reuses a converter: each text must read as if converted alone."""
    import markdown as md
    import nh3

    from core import text as module

    def alone(text):
        html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
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
