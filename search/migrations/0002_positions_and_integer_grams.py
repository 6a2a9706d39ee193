"""Integer gram postings up to trigrams, per-gram counts, entries keyed by listing position.

Postings and counts are derived data: the old text postings are dropped and
the new ones computed from each entry's stored folded text, so an existing
index keeps working without `rebuild_search_index`. Entries are renumbered in
their listing order (item name, then id), `GAP` apart. The gram rules are
copied here, not imported, so that this migration keeps doing what it did.

Going back empties the index (entries, themes, postings): run `manage.py
rebuild_search_index` after migrating back.
"""

from django.db import migrations, models

GAP = 1 << 32
GRAM_SIZE = 3
BASE = 0x110001


def gram_number(gram):
    number = 0
    for char in gram:
        number = number * BASE + ord(char) + 1
    return number


def grams_of_text(folded):
    grams = set()
    for run in folded.split():
        for size in range(1, GRAM_SIZE + 1):
            grams.update(run[i : i + size] for i in range(len(run) - size + 1))
    return grams


def forget_postings(apps, schema_editor):
    apps.get_model("search", "Gram").objects.all().delete()


def index_positions(apps, schema_editor):
    """Entries renumbered in listing order, then their postings and the gram counts."""
    entry_model = apps.get_model("search", "SearchEntry")
    theme_model = apps.get_model("search", "EntryTheme")
    gram_model = apps.get_model("search", "Gram")
    keys = list(entry_model.objects.order_by("item_name", "pk").values_list("pk", flat=True))
    # Old keys are 32-bit serials, new ones start at 2**32: they never meet.
    for index, old in enumerate(keys):
        entry_model.objects.filter(pk=old).update(position=(index + 1) * GAP)
        theme_model.objects.filter(entry_id=old).update(entry_id=(index + 1) * GAP)
    for entry in entry_model.objects.only("pk", "folded", "folded_names").iterator():
        in_names = grams_of_text(entry.folded_names)
        gram_model.objects.bulk_create(
            [
                gram_model(code=2 * gram_number(gram) + (gram in in_names), entry_id=entry.pk)
                for gram in grams_of_text(entry.folded)
            ],
            batch_size=1000,
        )
    quote = schema_editor.connection.ops.quote_name
    counts, postings = (apps.get_model("search", name)._meta.db_table for name in ("GramCount", "Gram"))
    schema_editor.execute(
        f"INSERT INTO {quote(counts)} (gram, entries, in_names) "  # noqa: S608 (model tables)
        f"SELECT code / 2, COUNT(*), SUM(code - code / 2 * 2) FROM {quote(postings)} GROUP BY code / 2"
    )


def plan_with_posting_statistics(apps, schema_editor):
    """Let PostgreSQL know the length of the longer posting lists, not guess them.

    With the default 100 most common values, a list of two thousand postings
    is estimated like one of twenty, and the planner intersects in the wrong
    order (hashing the longer list).
    """
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("search", "Gram")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN code SET STATISTICS 10000")


def forget_index(apps, schema_editor):
    """Going back: drop the derived rows, so that the key can turn back into a serial."""
    if schema_editor.connection.vendor == "postgresql":
        # Checked now, not at the commit: PostgreSQL refuses ALTER TABLE on a
        # table with foreign-key checks still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name in ("EntryTheme", "Gram", "GramCount", "SearchEntry"):
        apps.get_model("search", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_postings, migrations.RunPython.noop),
        migrations.DeleteModel(name="Gram"),
        migrations.RemoveIndex(model_name="searchentry", name="search_entry_name_order"),
        migrations.RenameField(model_name="searchentry", old_name="id", new_name="position"),
        migrations.AlterField(
            model_name="searchentry",
            name="position",
            field=models.BigIntegerField(primary_key=True, serialize=False),
        ),
        migrations.AlterModelOptions(
            name="searchentry",
            options={
                "ordering": ["position"],
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
            },
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["item_name", "position"], name="search_entry_name_order"),
        ),
        migrations.CreateModel(
            name="Gram",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "code", "entry", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("code", models.BigIntegerField()),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="search.searchentry",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="GramCount",
            fields=[
                ("gram", models.BigIntegerField(primary_key=True, serialize=False)),
                ("entries", models.IntegerField(default=0)),
                ("in_names", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(plan_with_posting_statistics, migrations.RunPython.noop),
        migrations.RunPython(index_positions, forget_index),
    ]
