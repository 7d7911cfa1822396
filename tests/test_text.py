from helpdesk.text import plain_excerpt, render_markdown


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
