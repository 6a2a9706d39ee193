from django.urls import include, path

from .views import actions, editor, files, inbox, workspace

app_name = "standards"
urlpatterns = [
    path("", workspace.home, name="home"),
    path("items/<str:basic_code>/", workspace.item_detail, name="item"),
    path("items/<str:basic_code>/start/", workspace.start, name="start"),
    path("versions/<int:pk>/", editor.version_home, name="version"),
    path("versions/<int:pk>/new-draft/", workspace.new_draft, name="new_draft"),
    path("versions/<int:pk>/sections/<str:section>/", editor.section, name="section"),
    path("versions/<int:pk>/rows/<str:group>/new/", editor.new_row, name="new_row"),
    path("versions/<int:pk>/rows/<str:group>/inputs/", editor.row_body, name="row_body"),
    path("versions/<int:pk>/files/<str:code>/<str:row>/", files.content_file, name="file"),
    path("versions/<int:pk>/manual.pdf", files.manual_pdf, name="manual_pdf"),
    path("versions/<int:pk>/preview/guide.pdf", files.preview_guide_pdf, name="preview_guide"),
    path("versions/<int:pk>/actions/<str:action>/", actions.act, name="act"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.mark_read, name="inbox_read"),
    path("", include("standards.urls_review")),
    path("", include("standards.urls_versions")),
]
