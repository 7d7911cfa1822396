from helpdesk.text import render_markdown


def test_markdown_is_rendered_and_scripts_never_reach_the_page():
    html = render_markdown(
        '**bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">'
    )
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
