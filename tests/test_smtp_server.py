"""The test SMTP server receives what Django's SMTP backend sends over a socket."""

from django.core.mail import EmailMultiAlternatives


def test_a_mail_sent_over_smtp_arrives_whole(smtp_server):
    message = EmailMultiAlternatives(
        "שלום", "גוף", "help@acme.test", ["bob@acme.test"], headers={"Reply-To": "x@acme.test"}
    )
    message.attach_alternative("<p dir='rtl'>גוף</p>", "text/html")
    message.send()
    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "שלום"
    assert received.envelope_to == ["bob@acme.test"]
    assert received.get_body(("html",)).get_content().strip() == "<p dir='rtl'>גוף</p>"
