"""URLs of the filing review (reviewers) and of answering comments (departments)."""

urlpatterns: list = []
