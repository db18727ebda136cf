"""On PostgreSQL the stored word columns fold letters with diacritics to their base
letter (see ``icc.search.folding``), as SQLite's full-text index already does, so a word
typed without its accents finds the text that has them. ``translate()`` is immutable,
so the generated columns and their GIN indexes can use it; no extension is needed.

The two strings are the folding table as it was when this migration was written; a
test checks that ``icc.search.folding`` still agrees with them.
"""

from django.db import migrations

FOLDED_FROM = 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ'
FOLDED_TO = 'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyAaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyſAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy'


def _folded(column: str) -> str:
    return f"translate(coalesce({column}, ''), '{FOLDED_FROM}', '{FOLDED_TO}')"


def _columns(words: str, title_words: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS search_entry_words",
        "DROP INDEX IF EXISTS search_entry_title_words",
        "ALTER TABLE search_entry DROP COLUMN words",
        "ALTER TABLE search_entry DROP COLUMN title_words",
        f"ALTER TABLE search_entry ADD COLUMN words tsvector GENERATED ALWAYS AS ({words}) STORED",
        f"ALTER TABLE search_entry ADD COLUMN title_words tsvector GENERATED ALWAYS AS ({title_words}) STORED",
        "CREATE INDEX search_entry_words ON search_entry USING GIN (words)",
        "CREATE INDEX search_entry_title_words ON search_entry USING GIN (title_words)",
    ]


FOLDED = _columns(
    f"to_tsvector('simple'::regconfig, {_folded('title')} || ' ' || {_folded('text')})",
    f"to_tsvector('simple'::regconfig, {_folded('title')})",
)
UNFOLDED = _columns(
    "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(text, ''))",
    "to_tsvector('simple'::regconfig, coalesce(title, ''))",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_marketplace_and_title_index")]

    operations = [migrations.RunPython(_run(FOLDED), _run(UNFOLDED))]
