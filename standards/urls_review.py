"""URLs of the filing review (reviewers) and of answering comments (departments)."""

from django.urls import path

from .views import review_answers, review_queue, review_screen

urlpatterns = [
    path("review/", review_queue.queue, name="review_queue"),
    path("review/<int:pk>/", review_screen.review, name="review"),
    path("review/<int:pk>/comments/", review_screen.add_comment, name="review_comment_add"),
    path(
        "review/<int:pk>/comments/<int:comment_pk>/delete/",
        review_screen.delete_comment,
        name="review_comment_delete",
    ),
    path("review/<int:pk>/actions/<str:action>/", review_screen.act, name="review_act"),
    path("versions/<int:pk>/comments/", review_answers.comments, name="comments"),
    path(
        "versions/<int:pk>/comments/<int:comment_pk>/answer/",
        review_answers.answer,
        name="answer_comment",
    ),
]
