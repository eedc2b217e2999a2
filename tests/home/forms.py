from wagtail.test.utils.form_data import nested_form_data, streamfield


def home_page_form_data(page, **overrides):
    """What the Wagtail editor posts for a home page (its StreamField is rendered by JavaScript,
    so it cannot be read back from the edit page's HTML)."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "hero_heading": page.hero_heading,
        "hero_text": page.hero_text,
        "sectors_heading": page.sectors_heading,
        "sectors_intro": page.sectors_intro,
        "body": streamfield([]),
        **overrides,
    }
    return nested_form_data(data)
