"""GIN index on the articles' full-text document: PostgreSQL only, a no-op elsewhere."""

from django.db import migrations

INDEX = "article_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite searches with icontains (ArticleQuerySet.search)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON knowledge_article USING gin (search_document)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_articles_onboarding_news_ideas_kudos")]

    operations = [migrations.RunPython(create_index, drop_index)]
