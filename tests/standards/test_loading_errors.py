"""Bad fixture files get a message naming the file, the place and the value; nothing is saved."""

import re
import textwrap

import pytest

from standards.loading.reference_data import load_regions
from standards.loading.samples import load_sample
from standards.loading.upsert import FixtureError, LoadReport
from standards.models import Condition, LegalBasis, Standard, StandardVersion
from tests.factories import StandardFactory

pytestmark = pytest.mark.django_db

GOOD = """
standard:
  item: "{item}"
  department: "{department}"
  region: "{region}"
  version: 1
content:
  basic_info:
    item_type: "01"
    service_object: ["2"]
  legal_basis:
    - key: lb-1
      basis_kind: "1"
      law_name: 《中华人民共和国行政许可法》
      article_number: 第三十二条
  condition:
    - key: c-1
      condition_kind: "1"
      condition_text: 有与经营活动相适应的经营场所
      legal_basis: [lb-1]
"""


@pytest.fixture
def sample(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    item = StandardFactory().item

    def write(text: str = GOOD, **replace: str) -> object:
        body = textwrap.dedent(text).format(
            item=item.basic_code,
            department=item.department.code,
            region=item.department.region.code,
        )
        for old, new in replace.items():
            body = body.replace(old, new)
        path = tmp_path / "sample.yaml"
        path.write_text(body, encoding="utf-8")
        return path

    return write


def test_a_good_sample_loads_with_its_references(sample):
    report = load_sample(sample())
    assert report.changed > 0
    condition = Condition.objects.get()
    assert list(condition.legal_basis.values_list("article_number", flat=True)) == ["第三十二条"]


def test_reloading_a_changed_sample_updates_the_same_rows(sample):
    load_sample(sample())
    basis_id = LegalBasis.objects.get().pk
    load_sample(sample(**{"第三十二条": "第三十四条"}))
    basis = LegalBasis.objects.get()
    assert (basis.pk, basis.article_number) == (basis_id, "第三十四条")


def test_a_row_removed_from_the_file_is_removed_from_the_draft(sample):
    load_sample(sample())
    text = GOOD.split("  condition:")[0].replace("      legal_basis: [lb-1]\n", "")
    load_sample(sample(text))
    assert not Condition.objects.exists()


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ({'item_type: "01"': 'item_type: "99"'}, "basic_info.item_type: '99' is not in code list"),
        ({"service_object": "service_objects"}, "unknown field(s) service_objects"),
        ({"legal_basis: [lb-1]": "legal_basis: [lb-9]"}, "no legal_basis row with key 'lb-9'"),
        ({"  basic_info:": "  basic_infos:"}, "unknown group(s) basic_infos"),
        ({"key: c-1": "key: lb-1"}, "row key 'lb-1' is repeated"),
        ({"version: 1": "version: 1\n  bad: [unclosed"}, "not valid YAML"),
        ({'item: "': 'item: "0'}, "unknown approvalitem"),
    ],
)
def test_bad_samples_are_refused_and_nothing_is_saved(sample, replace, message):
    standards_before = Standard.objects.count()
    with pytest.raises(
        FixtureError, match=message.replace("(", r"\(").replace(")", r"\)")
    ) as error:
        load_sample(sample(**replace))
    assert str(error.value).startswith("sample.yaml")
    assert Standard.objects.count() == standards_before
    assert not StandardVersion.objects.exists()
    assert not LegalBasis.objects.exists()


def test_a_bad_value_for_a_model_validator_names_the_field(sample):
    text = GOOD + "  service:\n    consultation_phone: 86339000\n"
    with pytest.raises(FixtureError, match=r"service\.consultation_phone: 86339000 is not text"):
        load_sample(sample(text))
    text = GOOD + '  service:\n    consultation_phone: "86339000"\n'
    with pytest.raises(
        FixtureError, match=r"content\.service: consultation_phone: 请输入带区号的电话号码"
    ):
        load_sample(sample(text))


def test_a_missing_sample_file_is_named(sample):
    text = GOOD + "  document:\n    - key: d-1\n      blank_template: nowhere/form.pdf\n"
    with pytest.raises(FixtureError, match=re.escape("no file 'nowhere/form.pdf'")):
        load_sample(sample(text))


def test_a_file_path_may_not_leave_the_files_folder(sample):
    text = GOOD + "  document:\n    - key: d-1\n      blank_template: ../../etc/passwd\n"
    with pytest.raises(FixtureError, match="no file"):
        load_sample(sample(text))


def test_a_region_with_an_unknown_parent_is_refused_with_its_line(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(
        "code,name_zh,name_en,level,parent_code\n440000,广东省,Guangdong,province,\n"
        "440600,佛山市,Foshan,city,449999\n",
        encoding="utf-8",
    )
    with pytest.raises(
        FixtureError, match=re.escape("regions.csv line 3: unknown region code '449999'")
    ):
        load_regions(path, LoadReport())


def test_a_csv_without_a_needed_column_is_refused(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n440000,广东省\n", encoding="utf-8")
    with pytest.raises(FixtureError, match="missing column"):
        load_regions(path, LoadReport())
