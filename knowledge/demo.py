"""The demo's knowledge base, onboarding, deflections, news, ideas and kudos (seed_demo step 3)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership, Role
from tickets.models import Rating

from .models import (
    Acknowledgement,
    AnnouncementRead,
    Article,
    Deflection,
    Idea,
    IdeaVote,
    KnowledgeSettings,
    OnboardingChecklist,
    ThankYouNote,
)
from .services import (
    create_category,
    publish_announcement,
    save_article,
    set_onboarding_checklist,
    suggest_idea,
)

CATEGORIES = [
    "Getting started",
    "Billing",
    "Accounts and sign-in",
    "Troubleshooting",
    "Working tickets",
    "Team handbook",
]

# title, category, audience, roles, body, owner e-mail
ARTICLES = [
    (
        "Welcome to the help center",
        "Getting started",
        "public",
        [],
        "This is where you find answers before you write to us.\n\n"
        "- Search with a few words: *invoice*, *password*, *export*.\n"
        "- Browse the categories on the right.\n"
        "- Still stuck? Send a request from **My requests**; we answer within one business day.\n\n"
        "A two-minute tour of the portal:\n\n"
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n",
        "supervisor@demo.example",
    ),
    (
        "How to change your billing address",
        "Billing",
        "customers",
        [],
        "1. Open **Settings → Billing**.\n2. Click **Edit address**.\n"
        "3. Save. The next invoice uses the new address; past invoices do not change.\n\n"
        "![The billing settings screen](https://placehold.co/600x200?text=Billing+settings)\n",
        "lena@demo.example",
    ),
    (
        "Why was I charged twice?",
        "Billing",
        "customers",
        [],
        "A second charge is usually a **pending authorization** from a declined attempt; your "
        "bank releases it within 5 business days.\n\nIf both charges are *settled* after 5 days, "
        "send us a request with the last four digits of the card and we refund the duplicate.\n",
        "lena@demo.example",
    ),
    (
        "Refunds for unused seats",
        "Billing",
        "customers",
        [],
        "Seats you remove are credited pro rata on your next invoice. We refund to the card "
        "only when you close the account.\n",
        "lena@demo.example",
    ),
    (
        "Reset your password",
        "Accounts and sign-in",
        "public",
        [],
        "Use **Forgot password?** on the sign-in page. The link is valid for 24 hours.\n\n"
        "Not receiving the e-mail? Check the spam folder and that your address is spelled "
        "right. Video walkthrough:\n\nhttps://vimeo.com/76979871\n",
        "omar@demo.example",
    ),
    (
        "Two-factor codes are not accepted",
        "Accounts and sign-in",
        "customers",
        [],
        "Codes depend on your phone's clock. Turn on **automatic date and time**, wait a minute "
        "and try the next code. Lost the phone? Use one of your recovery codes.\n",
        "omar@demo.example",
    ),
    (
        "Export to CSV times out",
        "Troubleshooting",
        "customers",
        [],
        "Exports of more than 100,000 rows run in the background: choose **Export by e-mail** "
        "and we send a link when the file is ready.\n\nSee the "
        "[export documentation](https://example.com/docs/export) for the columns.\n",
        "agent@demo.example",
    ),
    (
        "Dashboard shows a blank page in Safari",
        "Troubleshooting",
        "public",
        [],
        "Safari's *Prevent cross-site tracking* blocks our charts' fonts in old versions. "
        "Update Safari to 17 or later, or turn the option off for our site.\n",
        "agent@demo.example",
    ),
    (
        "Agent handbook: your first week",
        "Team handbook",
        "staff",
        [],
        "Welcome to the team!\n\n## Day one\n- Sign in and read this checklist.\n"
        "- Shadow a senior agent for an hour.\n\n## Tone\nWarm, short, specific. Say what you "
        "did and what happens next.\n\nhttps://youtu.be/jNQXAC9IVRw\n",
        "supervisor@demo.example",
    ),
    (
        "Triage: priorities and queues",
        "Working tickets",
        "staff",
        [],
        "| Priority | When | First reply within |\n|---|---|---|\n"
        "| Urgent | outage, money lost | 1 hour |\n| High | blocked user | 4 hours |\n"
        "| Normal | everything else | 1 business day |\n\n"
        "Move tickets to the right queue before you reply.\n",
        "supervisor@demo.example",
    ),
    (
        "Writing internal notes",
        "Working tickets",
        "staff",
        [],
        "Internal notes are never shown to customers. Write what you checked and what you "
        "ruled out, so the next agent does not start over.\n",
        "agent@demo.example",
    ),
    (
        "Refund policy for agents",
        "Billing",
        "roles",
        ["agent", "supervisor"],
        "Agents may refund up to **€200** without approval. Above that, assign the ticket to a "
        "supervisor with an internal note.\n",
        "supervisor@demo.example",
    ),
    (
        "Escalation to engineering",
        "Working tickets",
        "staff",
        [],
        "Escalate when you can reproduce the bug and have the account id, the time and a "
        "screenshot. Link the incident in an internal note.\n\nOld process (kept for history): "
        "e-mail the on-call engineer.\n",
        "omar@demo.example",
    ),
    (
        "Customer onboarding: your first request",
        "Getting started",
        "customers",
        [],
        "Write one request per problem, with what you expected and what happened. Attach a "
        "screenshot if you can. You can follow every request under **My requests**.\n",
        "supervisor@demo.example",
    ),
]


def seed(ctx) -> str:
    tenant, rng = ctx.tenant, ctx.rng
    people, members = ctx.people, ctx.memberships
    now = timezone.now()
    admin = people["admin@demo.example"]
    KnowledgeSettings.objects.update_or_create(tenant=tenant, defaults={"stale_after_days": 180})
    roles = {r.key: r for r in Role.objects.for_tenant(tenant)}
    categories = {
        name: create_category(tenant=tenant, name=name, by=admin)[0] for name in CATEGORIES
    }
    for position, name in enumerate(CATEGORIES):
        categories[name].position = position
        categories[name].save(update_fields=["position"])

    articles = {}
    for index, (title, category, audience, role_keys, body, owner) in enumerate(ARTICLES):
        created = now - timedelta(days=120 - index * 6)
        articles[title] = save_article(
            tenant=tenant,
            by=people[owner],
            title=title,
            body=body,
            audience=audience,
            roles=[roles[k] for k in role_keys],
            category=categories[category],
            owner=people[owner],
            at=created,
        )
    # Version history: two later edits of the handbook and of the double-charge article.
    handbook = articles["Agent handbook: your first week"]
    save_article(
        tenant=tenant,
        by=people["supervisor@demo.example"],
        article=handbook,
        title=handbook.title,
        body=handbook.body + "\n## Day two\n- Take your first tickets in the Billing queue.\n",
        audience=handbook.audience,
        category=handbook.category,
        owner=handbook.owner,
        note="Added day two",
        at=now - timedelta(days=20),
    )
    charged = articles["Why was I charged twice?"]
    save_article(
        tenant=tenant,
        by=people["lena@demo.example"],
        article=charged,
        title=charged.title,
        body=charged.body.replace("5 business days", "3 to 5 business days"),
        audience=charged.audience,
        category=charged.category,
        owner=charged.owner,
        note="Banks are faster now",
        at=now - timedelta(days=9),
    )
    # One stale article: not reviewed for more than the tenant's 180 days.
    Article.objects.filter(pk=articles["Escalation to engineering"].pk).update(
        reviewed_at=now - timedelta(days=240)
    )

    # Onboarding: agents and customers have checklists; Lena is done, Omar is late.
    agent_checklist = set_onboarding_checklist(
        tenant=tenant,
        role=roles["agent"],
        due_within_days=14,
        by=admin,
        articles=[
            articles[t]
            for t in (
                "Agent handbook: your first week",
                "Triage: priorities and queues",
                "Writing internal notes",
            )
        ],
    )
    customer_checklist = set_onboarding_checklist(
        tenant=tenant,
        role=roles["customer"],
        due_within_days=30,
        by=admin,
        articles=[
            articles[t]
            for t in (
                "Welcome to the help center",
                "Customer onboarding: your first request",
            )
        ],
    )
    # The agents' checklist is two months old; the customers' was set up last week.
    OnboardingChecklist.objects.filter(pk=agent_checklist.pk).update(
        created_at=now - timedelta(days=60)
    )
    OnboardingChecklist.objects.filter(pk=customer_checklist.pk).update(
        created_at=now - timedelta(days=6)
    )
    for email, titles in [
        ("customer@demo.example", customer_checklist.articles.all()),
        ("carol@acme.example", customer_checklist.articles.all()[:1]),
    ]:
        for article in titles:
            Acknowledgement.objects.create(
                tenant=tenant,
                membership=members[email],
                article=article,
                acknowledged_at=now - timedelta(days=rng.randint(1, 5)),
            )
    lena, omar, alice = (
        members[e] for e in ("lena@demo.example", "omar@demo.example", "agent@demo.example")
    )
    Membership.objects.filter(pk=lena.pk).update(joined_at=now - timedelta(days=10))
    Membership.objects.filter(pk=omar.pk).update(joined_at=now - timedelta(days=25))
    Membership.objects.filter(pk=alice.pk).update(joined_at=now - timedelta(days=3))
    for title in (
        "Agent handbook: your first week",
        "Triage: priorities and queues",
        "Writing internal notes",
    ):
        Acknowledgement.objects.create(
            tenant=tenant,
            membership=lena,
            article=articles[title],
            acknowledged_at=now - timedelta(days=8),
        )
    Acknowledgement.objects.create(
        tenant=tenant,
        membership=omar,
        article=articles["Agent handbook: your first week"],
        acknowledged_at=now - timedelta(days=20),
    )

    # Deflections: customers who found the answer themselves.
    customers = [members[e] for e in members if members[e].role.key == "customer"]
    useful = [
        "Why was I charged twice?",
        "Reset your password",
        "Export to CSV times out",
        "How to change your billing address",
    ]
    deflections = 0
    for day in range(40):
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            title = rng.choice(useful[: rng.choice([1, 2, 4])])
            Deflection.objects.create(
                tenant=tenant,
                article=articles[title],
                member=rng.choice(customers),
                query=title.lower(),
                created_at=now - timedelta(days=day, hours=rng.randint(0, 20)),
            )
            deflections += 1

    # Announcements: one for everyone (read by most), one unread for agents.
    everyone = publish_announcement(
        tenant=tenant,
        by=admin,
        title="New help center is live",
        body="Our articles now answer the most common questions. **Search before you write!**",
    )
    for email, member in members.items():
        if email != "frank@example.org":
            AnnouncementRead.objects.create(tenant=tenant, announcement=everyone, membership=member)
    publish_announcement(
        tenant=tenant,
        by=admin,
        title="New refund limit for agents",
        body="From Monday, agents may refund up to €200 without approval. See the "
        "*Refund policy for agents* article.",
        audience="roles",
        roles=[roles["agent"], roles["supervisor"]],
    )

    # Ideas with votes, statuses and answers.
    idea_rows = [
        (
            "carol@acme.example",
            "Dark mode for the portal",
            "",
            "planned",
            "Planned for the spring release.",
        ),
        (
            "agent@demo.example",
            "Canned replies for common billing questions",
            "Would save us a lot of typing.",
            "done",
            "Done: see the reply templates.",
        ),
        ("dan@globex.example", "Let us export our requests to CSV", "", "new", ""),
        (
            "omar@demo.example",
            "Slack notifications for urgent tickets",
            "",
            "declined",
            "Not for now: we are moving to e-mail digests first.",
        ),
    ]
    for email, title, body, status, answer in idea_rows:
        idea = suggest_idea(membership=members[email], title=title, body=body)
        Idea.objects.filter(pk=idea.pk).update(
            status=status, answer=answer, answered_by=admin if answer else None
        )
        for voter in rng.sample(list(members.values()), rng.randint(1, 6)):
            IdeaVote.objects.get_or_create(tenant=tenant, idea=idea, membership=voter)

    # Kudos: good ratings come from the tickets step; add thank-you notes from the supervisor.
    supervisor = people["supervisor@demo.example"]
    for email, message in [
        (
            "agent@demo.example",
            "Thank you for staying late on the export outage. Customers noticed!",
        ),
        ("lena@demo.example", "Great onboarding: all guides read in two days."),
    ]:
        ThankYouNote.objects.create(
            tenant=tenant,
            from_user=supervisor,
            to_user=people[email],
            message=message,
            created_at=now - timedelta(days=2),
        )
    kudos = Rating.objects.for_tenant(tenant).filter(score__gte=4).exclude(comment="").count()
    return (
        f"{len(articles)} articles in {len(categories)} categories, 2 onboarding checklists, "
        f"{deflections} deflections, 2 announcements, {len(idea_rows)} ideas, {kudos} kudos"
    )
