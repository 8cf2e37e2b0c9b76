"""Every model and every field is in the privacy registry, classified, with purpose and
retention; a model or field added without an entry fails here."""

import re

from django.apps import apps

from privacy.registry import NONE, PERSONAL, REGISTRY, SENSITIVE


def _fields(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields} | {
        f.name for f in model._meta.many_to_many
    }


def test_every_model_and_field_is_classified():
    problems = []
    models = {model._meta.label: model for model in apps.get_models()}
    for label, model in models.items():
        entry = REGISTRY.get(label)
        if entry is None:
            problems.append(f"{label}: no entry")
            continue
        classified = entry.fields()
        for name in sorted(_fields(model) - set(classified)):
            problems.append(f"{label}.{name}: not classified")
        for name in sorted(set(classified) - _fields(model)):
            problems.append(f"{label}.{name}: no such field")
        for name in sorted(entry.secrets() - set(classified)):
            problems.append(f"{label}.{name}: secret but not classified")
        if not entry.purpose or not entry.retention:
            problems.append(f"{label}: purpose and retention are needed")
    for label in sorted(set(REGISTRY) - set(models)):
        problems.append(f"{label}: no such model")
    assert problems == []


def test_what_managers_write_is_sensitive():
    assert REGISTRY["reflections.Entry"].fields()["body"] == SENSITIVE
    assert REGISTRY["reflections.Commitment"].fields()["text"] == SENSITIVE
    assert REGISTRY["accounts.User"].fields()["email"] == PERSONAL
    assert REGISTRY["programme.Theme"].fields()["name"] == NONE


def test_the_privacy_document_names_every_model():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "privacy.md").read_text()
    missing = [label for label in REGISTRY if f"`{label}`" not in text]
    assert missing == []


def test_the_privacy_document_is_up_to_date(settings):
    import importlib.util
    from pathlib import Path

    from kungsor_ledarskap.settings import RETENTION_DAYS

    # The document states the default periods, whatever this machine's environment says.
    settings.RETENTION_DAYS = RETENTION_DAYS
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("privacy_doc", root / "scripts/privacy_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (root / "docs" / "privacy.md").read_text() == module.render(), (
        "Run: python scripts/privacy_doc.py"
    )


# Fields whose names sound like a credential but are not one, and why.
NOT_SECRET = {
    ("auth.Permission", "codename"): "a permission's name",
    ("notifications.OutboxMessage", "idempotency_key"): "built from ids (session:12:seq:3:…)",
    ("reminders.Reminder", "key"): "built from ids and dates (repetition:12:2:34)",
    ("programme.ModuleLink", "url"): "a link in the material, the same for everyone",
    ("training_sessions.TrainingSession", "key_points"): "what the session was about",
    ("reflections.Entry", "body"): "the person's own journal, theirs to export",
    ("reflections.Entry", "keywords"): "the ledord an entry is about",
    ("network.Question", "body"): "the person's own question to their network group",
    ("network.Answer", "body"): "the person's own answer in their network group",
    ("programme.FrameworkSuggestion", "keyword"): "the ledord a suggestion is about",
    ("network.SharedEntry", "body"): "the person's own journal entry, as shared with their group",
}
CREDENTIAL_LIKE = re.compile(
    r"password|token|secret|key|code|hash|session_data|get_data|post_data|headers|body|url"
)


def test_every_field_that_sounds_like_a_credential_is_never_exported():
    """A new token, key or code field fails here until the registry marks it never
    exported (or NOT_SECRET says why it is no secret)."""
    unmarked = [
        f"{model._meta.label}.{name}"
        for model in apps.get_models()
        for name in sorted(_fields(model))
        if CREDENTIAL_LIKE.search(name)
        and name not in REGISTRY[model._meta.label].secrets()
        and (model._meta.label, name) not in NOT_SECRET
    ]
    assert unmarked == []
