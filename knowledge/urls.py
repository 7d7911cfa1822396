"""Pages of knowledge, under /t/<slug>/."""

app_name = "knowledge"

urlpatterns: list = []
