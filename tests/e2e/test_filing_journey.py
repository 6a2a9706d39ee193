"""The whole life of a standard, clicked through in the browser by the people who do it.

南海区's staff edit the food business licence and submit it; 佛山's reviewer
comments on a field and returns it; the staff answer the comment, fix the
field and resubmit; the reviewer approves; the leader confirms and publishes;
a citizen finds the guide by search, reads the fixed value and downloads the PDF.

Only the starting world is made in Python: reference data, the sample standard
as a first draft and the demo users. Every step after that is a click or a
keystroke in Debian's Chromium against the live server. The one exception is
the PDF rendering, which a task worker does in production: the test takes the
task that publishing enqueued and runs it, as the worker would.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect
from pypdf import PdfReader

from standards.loading.demo_users import create_demo_users
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import StandardVersion

from .conftest import axe_violations

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PASSWORD = "demo-2026"

pytestmark = pytest.mark.django_db(transaction=True)

FIELD_LABEL = "地域范围"  # E01.03 territorial scope, shown on the public guide
FIELD_CODE = "E01.03"
# The staff's first edit drops the list of towns; the reviewer asks for it back.
FIRST_EDIT = "经营场所位于佛山市南海区行政区域内"
COMMENT = "请列明南海区所辖街道和镇，便于申请人判断是否属于本机关受理。"
FIXED = (
    "经营场所位于佛山市南海区行政区域内，含桂城街道和大沥镇、里水镇、狮山镇、丹灶镇、西樵镇、九江镇"
)
ANSWER = "已按意见列明所辖街道和镇。"
RENDER_TASK = "standards.tasks.render_published_documents"


@pytest.fixture
def food_draft(live_server, settings, tmp_path):
    """The food licence of 南海区 as a first draft, and the demo users."""
    settings.MEDIA_ROOT = tmp_path
    # The production queue (the test settings' dummy backend keeps its tasks per
    # thread, out of the test's sight): publishing writes the task to the database.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    load_reference_data(FIXTURES)
    load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
    create_demo_users(PASSWORD)
    version = StandardVersion.objects.get(
        standard__item__basic_code="010130001000", standard__department__code="440605-scjgj"
    )
    assert version.state == StandardVersion.State.DRAFT
    return version


def sign_in(page, url: str, username: str) -> None:
    page.goto(url + "/")
    page.get_by_role("link", name="工作人员登录").click()
    expect_heading(page, "工作人员登录")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("button", name="退出").wait_for()


def expect_heading(page, text: str) -> None:
    # A web-first assertion: it waits for the page a click opened.
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def expect_message(page, text: str) -> None:
    status = page.get_by_role("status").filter(has_text=text)
    status.wait_for()
    assert text in status.inner_text()


def expect_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def expect_state(page, state: str) -> None:
    """The editor's workflow panel names the state, e.g. "流程: 草稿"."""
    expect(page.locator("#workflow-title")).to_contain_text(state)


def open_in_workspace(page, item_name: str, link: str) -> None:
    page.get_by_role("link", name="工作台").click()
    row = page.get_by_role("row").filter(has_text=item_name)
    row.get_by_role("link", name=link).click()
    expect_heading(page, item_name)


def open_section(page, label: str) -> None:
    page.get_by_role("navigation", name="目录").get_by_role("link", name=re.compile(label)).click()


def test_staff_review_answer_approve_publish_and_a_citizen_reads_it(
    open_page, live_server, food_draft
):
    url = live_server.url
    item = food_draft.standard.item.name

    # — 南海区 staff: open the draft, edit a field, save the section, submit.
    staff = open_page("staff")
    sign_in(staff, url, "nanhai_staff")
    open_in_workspace(staff, item, "编辑")
    expect_state(staff, "草稿")
    open_section(staff, "受理范围")
    field = staff.get_by_label(FIELD_LABEL)
    field.fill(FIRST_EDIT)
    staff.get_by_role("button", name="保存本部分").click()
    expect_message(staff, "已保存。")
    assert staff.get_by_label(FIELD_LABEL).input_value() == FIRST_EDIT
    expect_accessible(staff)
    staff.get_by_role("button", name="提交备案审查").click()
    expect_message(staff, "已提交备案审查。")
    expect_state(staff, "已提交")
    # Submitted, the version is no longer open for editing.
    assert staff.get_by_role("button", name="保存本部分").count() == 0

    # — 佛山 reviewer: the queue, start the review, comment on the field, return.
    reviewer = open_page("reviewer")
    sign_in(reviewer, url, "foshan_reviewer")
    reviewer.get_by_role("link", name="审查队列", exact=True).click()
    expect_heading(reviewer, "备案审查队列")
    reviewer.get_by_role("link", name=item).click()
    expect_heading(reviewer, item)
    reviewer.get_by_role("button", name="开始审查").click()
    expect_message(reviewer, "已开始审查，现在可以填写意见。")
    field_on_screen = reviewer.locator(f'[data-field-code="{FIELD_CODE}"]')
    assert FIRST_EDIT in field_on_screen.inner_text()
    field_on_screen.get_by_role("link", name="添加意见").click()
    form = reviewer.locator("#comment-form")
    expect(form.get_by_label("信息项")).to_have_value(FIELD_CODE)  # the link chose the field
    form.get_by_label("意见类别").select_option(label="表述")
    form.get_by_role("textbox", name=re.compile(r"^意见")).fill(COMMENT)
    form.get_by_role("button", name="添加意见").click()
    expect_message(reviewer, "意见已添加。")
    assert COMMENT in reviewer.locator(f'[data-field-code="{FIELD_CODE}"]').inner_text()
    expect_accessible(reviewer)
    reviewer.get_by_label("给部门的说明（选填）").fill("请按意见修改后重新报送。")
    reviewer.get_by_role("button", name="退回修改").click()
    expect_message(reviewer, "备案已退回部门修改。")

    # — Staff: the inbox tells them; they answer, fix the field and resubmit.
    staff.get_by_role("link", name="消息").click()
    expect_heading(staff, "消息")
    note = staff.get_by_role("listitem").filter(has_text="退回了")
    assert item in note.inner_text()
    assert "请按意见修改后重新报送。" in note.inner_text()
    open_in_workspace(staff, item, "编辑")
    expect_state(staff, "退回")
    staff.get_by_role("link", name="答复审查意见").click()
    expect_heading(staff, "审查意见")
    comment = staff.get_by_role("article").filter(has_text=COMMENT)
    assert FIELD_LABEL in comment.get_by_role("heading").inner_text()
    assert "未答复" in comment.inner_text()
    comment.get_by_role("link", name="在编辑器中打开此信息项").click()
    field = staff.get_by_label(FIELD_LABEL)
    assert field.input_value() == FIRST_EDIT
    field.fill(FIXED)
    staff.get_by_role("button", name="保存本部分").click()
    expect_message(staff, "已保存。")
    staff.get_by_role("link", name="答复审查意见").click()
    comment = staff.get_by_role("article").filter(has_text=COMMENT)
    assert FIXED in comment.inner_text()  # what changed since the round was submitted
    comment.get_by_role("radio", name="已修改").check()
    comment.get_by_role("textbox", name="说明").fill(ANSWER)
    comment.get_by_role("button", name="保存答复").click()
    expect_message(staff, "答复已保存。")
    assert "还有 0 条意见尚未答复。" in staff.get_by_role("main").inner_text()
    comment = staff.get_by_role("article").filter(has_text=COMMENT)
    assert comment.get_by_role("radio", name="已修改").is_checked()
    assert comment.get_by_role("textbox", name="说明").input_value() == ANSWER
    expect_accessible(staff)
    staff.get_by_role("link", name="返回编辑").click()
    staff.get_by_role("button", name="重新提交备案审查").click()
    expect_message(staff, "已提交备案审查。")

    # — Reviewer: round 2 shows the fix and the answer; approve.
    reviewer.get_by_role("link", name="审查队列", exact=True).click()
    reviewer.get_by_role("link", name=item).click()
    reviewer.get_by_role("button", name="开始审查").click()
    expect_message(reviewer, "已开始审查，现在可以填写意见。")
    changes = reviewer.locator("#round-changes")
    assert FIXED in changes.inner_text()
    field_on_screen = reviewer.locator(f'[data-field-code="{FIELD_CODE}"]')
    assert FIXED in field_on_screen.inner_text()
    assert ANSWER in field_on_screen.inner_text()
    reviewer.get_by_role("button", name="准予备案").click()
    expect_message(reviewer, "已准予备案。")

    # — 南海区 leader: confirm and publish.
    leader = open_page("leader")
    sign_in(leader, url, "nanhai_leader")
    open_in_workspace(leader, item, "查看")
    leader.get_by_role("button", name="部门确认").click()
    expect_message(leader, "已确认。")
    leader.get_by_role("button", name="发布").click()
    expect_message(leader, "已发布。")
    expect_state(leader, "已发布")

    # The worker's part: publishing queued the rendering; the worker runs it.
    published = StandardVersion.objects.get(pk=food_draft.pk)
    assert published.state == StandardVersion.State.PUBLISHED
    queued = DBTaskResult.objects.filter(task_path=RENDER_TASK)
    assert [r.args_kwargs["args"] for r in queued] == [[published.pk]]
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    rendered = queued.get()
    assert rendered.status == "SUCCESSFUL", rendered.traceback
    assert rendered.return_value == 2  # the guide and the manual

    # — A citizen, not signed in: search, read the guide, download the PDF.
    citizen = open_page("citizen")
    citizen.goto(url + "/")
    citizen.get_by_role("searchbox").first.fill(item)
    citizen.keyboard.press("Enter")
    citizen.wait_for_url(re.compile(r"/search/\?"))
    citizen.get_by_role("link", name=re.compile(item)).first.click()
    citizen.wait_for_url(re.compile(r"/guides/"))
    expect_heading(citizen, item)
    guide = citizen.get_by_role("main").inner_text()
    assert FIXED in guide
    assert COMMENT not in guide
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name="下载办事指南（PDF）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = re.sub(r"\s", "", "".join(p.extract_text() or "" for p in reader.pages))
    assert item in text
    assert FIXED in text

    for page in (staff, reviewer, leader, citizen):
        assert page.script_errors == []


def test_a_folded_material_row_opens_on_a_click_and_its_edit_is_saved(
    open_page, live_server, food_draft
):
    """Ten materials: the rows come folded, their inputs fetched when one is unfolded."""
    from standards.models import Material

    staff = open_page("staff")
    sign_in(staff, live_server.url, "nanhai_staff")
    open_in_workspace(staff, food_draft.standard.item.name, "编辑")
    open_section(staff, "申请材料")
    row = staff.locator("[data-row]").nth(5)
    body = row.locator(".collapse")
    assert body.get_attribute("data-row-url"), "the sixth of ten rows comes folded"
    assert row.get_by_label("材料名称").count() == 0  # no inputs yet, only hidden values
    row.get_by_role("button", name=re.compile("第 6 行")).click()
    name = row.get_by_label("材料名称")
    expect(name).to_be_visible()
    original = Material.objects.filter(version=food_draft).order_by("position")[5].name
    expect(name).to_have_value(original)
    name.fill("经营场所使用证明（已改）")
    staff.get_by_role("button", name="保存本部分").click()
    expect_message(staff, "已保存。")
    names = list(
        Material.objects.filter(version=food_draft)
        .order_by("position")
        .values_list("name", flat=True)
    )
    assert names[5] == "经营场所使用证明（已改）"
    assert len(names) == 10
    assert staff.script_errors == []
