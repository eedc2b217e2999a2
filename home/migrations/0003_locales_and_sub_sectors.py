"""Reference data every installation needs: the content locales and the sub-sector taxonomy."""

from django.db import migrations

SUB_SECTORS = [
    # slug, colour, (en, ru, kk) names, (en, ru, kk) descriptions
    (
        "design",
        "#8a3ffc",
        ("Design", "Дизайн", "Дизайн"),
        (
            "Graphic, fashion, product and digital design.",
            "Графический, модный, предметный и цифровой дизайн.",
            "Графикалық, сән, бұйым және цифрлық дизайн.",
        ),
    ),
    (
        "museums-heritage",
        "#a2191f",
        ("Museums & heritage", "Музеи и наследие", "Мұражайлар және мұра"),
        (
            "Collections, conservation, exhibitions and heritage sites.",
            "Коллекции, реставрация, выставки и объекты наследия.",
            "Қорлар, қалпына келтіру, көрмелер және мұра нысандары.",
        ),
    ),
    (
        "film",
        "#005d5d",
        ("Film", "Кино", "Кино"),
        (
            "Production, camera, editing and distribution.",
            "Производство, съёмка, монтаж и прокат.",
            "Өндіріс, түсірілім, монтаж және прокат.",
        ),
    ),
    (
        "music",
        "#0043ce",
        ("Music", "Музыка", "Музыка"),
        (
            "Recording, live sound, performance and the music business.",
            "Запись, концертный звук, исполнительство и музыкальный бизнес.",
            "Дыбыс жазу, концерттік дыбыс, орындаушылық және музыка бизнесі.",
        ),
    ),
    (
        "performing-arts",
        "#9f1853",
        ("Performing arts", "Исполнительские искусства", "Орындаушылық өнер"),
        (
            "Theatre, dance and opera: stage lighting, sound, stage engineering and costume.",
            "Театр, танец и опера: сценический свет, звук, сценическая техника и костюм.",
            "Театр, би және опера: сахна жарығы, дыбыс, сахна техникасы және костюм.",
        ),
    ),
    (
        "visual-arts",
        "#8e6a00",
        ("Visual arts", "Изобразительное искусство", "Бейнелеу өнері"),
        (
            "Painting, sculpture, printmaking, photography and galleries.",
            "Живопись, скульптура, графика, фотография и галереи.",
            "Кескіндеме, мүсін, графика, фотосурет және галереялар.",
        ),
    ),
    (
        "publishing",
        "#198038",
        ("Publishing", "Книгоиздание", "Кітап шығару"),
        (
            "Editing, prepress, print production and rights.",
            "Редактура, допечатная подготовка, печать и права.",
            "Редакциялау, баспаға дейінгі дайындық, басу және құқықтар.",
        ),
    ),
    (
        "all-sectors",
        "#393939",
        ("All sectors", "Все сектора", "Барлық салалар"),
        (
            "Management skills for every sector: projects, fundraising, negotiation, "
            "marketing and audiences.",
            "Управленческие навыки для всех секторов: проекты, фандрайзинг, переговоры, "
            "маркетинг и аудитории.",
            "Барлық салаларға қажет басқару дағдылары: жобалар, қаражат тарту, келіссөздер, "
            "маркетинг және аудитория.",
        ),
    ),
]


def seed(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    SubSector = apps.get_model("home", "SubSector")
    for code in ("en", "ru", "kk"):
        Locale.objects.get_or_create(language_code=code)
    for order, (slug, colour, names, descriptions) in enumerate(SUB_SECTORS):
        SubSector.objects.update_or_create(
            slug=slug,
            defaults={
                "name": names[0],
                "name_ru": names[1],
                "name_kk": names[2],
                "description": descriptions[0],
                "description_ru": descriptions[1],
                "description_kk": descriptions[2],
                "colour": colour,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_pages_images_settings"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
