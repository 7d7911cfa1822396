"""Pages of one tenant (under /t/<slug>/) that belong to people and roles."""

app_name = "accounts"

urlpatterns: list = []
