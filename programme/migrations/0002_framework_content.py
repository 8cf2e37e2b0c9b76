"""The programme's framework: three themes, three focus areas and three ledord.

Quotations are from Kungsör municipality's article "Unik ledarskapsutveckling i Kungsör";
the rest is short text written for the portal. The coach edits all of it in the portal.
"""

from django.db import migrations

THEMES = [
    (
        "leda-sig-sjalv",
        "Leda sig själv",
        "Att bli trygg i sig själv som ledare. I ledarträningen handlar mycket om att "
        "”bli trygg i sig själv, känna in de vi möter innan vi leder och göra rätt sak på "
        "rätt sätt”.",
    ),
    (
        "leda-andra",
        "Leda andra",
        "Fokus ligger på det som sker i och mellan människor: att bygga bra tillstånd, "
        "relationer, trygghet och tillit, och att ta reda på vad både individ och grupp vill.",
    ),
    (
        "leda-utveckling-i-forandring",
        "Leda utveckling i förändring",
        "Att leda långsiktig och hållbar utveckling. ”Nyckeln till långsiktig och hållbar "
        "utveckling är i kombinationen av en kultur, en tydlig strategi och en styrning som "
        "alla förstår och vill vara delaktiga i.”",
    ),
]

FOCUS_AREAS = [
    (
        "ledarens-uppdrag",
        "Ledarens uppdrag",
        "Vad uppdraget som chef i Kungsörs kommun innebär: ansvar, mandat och vad "
        "verksamheten och medarbetarna behöver av dig.",
    ),
    (
        "ledarens-utveckling-och-utmaningar",
        "Ledarens utveckling och utmaningar",
        "Din egen utveckling som ledare och de utmaningar du står i just nu.",
    ),
    (
        "teamets-utveckling-och-utmaningar",
        "Teamets utveckling och utmaningar",
        "Hur gruppen du leder utvecklas, vad som står i vägen och hur du stöttar den.",
    ),
]

KEYWORDS = [
    (
        "modigt",
        "Modigt",
        "”Det krävs mod att lyfta blicken och se vad som är viktigt för oss.” I praktiken: "
        "att provtänka och provgöra, pröva nya sätt och säga det som behöver sägas.",
    ),
    (
        "tydligt",
        "Tydligt",
        "Att göra rätt saker på rätt sätt. I praktiken: att sätta ord på förväntningar, mål och "
        "beslut så att alla förstår dem, och att återkoppla.",
    ),
    (
        "engagerande",
        "Engagerande",
        "En styrning som alla förstår och vill vara delaktiga i. I praktiken: att bjuda in "
        "medarbetarna, lyssna in vad individ och grupp vill och skapa delaktighet.",
    ),
]

CONTENT = {"Theme": THEMES, "FocusArea": FOCUS_AREAS, "Keyword": KEYWORDS}


def add_content(apps, schema_editor):
    for model_name, rows in CONTENT.items():
        model = apps.get_model("programme", model_name)
        for order, (slug, name, description) in enumerate(rows, start=1):
            model.objects.update_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )


def remove_content(apps, schema_editor):
    for model_name, rows in CONTENT.items():
        apps.get_model("programme", model_name).objects.filter(
            slug__in=[slug for slug, _, _ in rows]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(add_content, remove_content)]
