"""factory_boy factories: tests build their data here, never from JSON fixtures."""

import factory

from standards.models import ApprovalItem, Department, Region, Standard, StandardVersion, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "440000"
    name = "广东省"
    name_en = "Guangdong"
    level = Region.Level.PROVINCE


class CityFactory(RegionFactory):
    code = factory.Sequence(lambda n: f"44{(n % 80) + 10:02d}00")  # type: ignore[assignment]
    name = factory.Sequence(lambda n: f"测试市{n}")  # type: ignore[assignment]
    level = Region.Level.CITY
    parent = factory.SubFactory(RegionFactory)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"440000-test{n}")
    number = factory.Sequence(lambda n: f"{(n % 900) + 100:03d}")
    name = factory.Sequence(lambda n: f"广东省测试厅{n}")
    region = factory.SubFactory(RegionFactory)


class ApprovalItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalItem

    basic_code = factory.Sequence(lambda n: f"01999{n:04d}000")
    name = factory.Sequence(lambda n: f"测试许可事项{n}")
    item_type = "01"
    levels = ApprovalItem.Levels.PROVINCE
    department = factory.SubFactory(DepartmentFactory)


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    item = factory.SubFactory(ApprovalItemFactory)
    department = factory.SelfAttribute("item.department")
    region = factory.SelfAttribute("department.region")


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardVersion

    standard = factory.SubFactory(StandardFactory)
    number = 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    department = factory.SubFactory(DepartmentFactory)
