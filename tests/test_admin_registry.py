import pytest
from django.apps import apps
from django.contrib import admin

# The report form's counters: keyed hashes that expire within a day, nothing to edit.
NOT_IN_ADMIN = {"FormUse"}


def results_models():
    return [
        model
        for model in apps.get_app_config("results").get_models()
        if model.__name__ not in NOT_IN_ADMIN and not model.__name__.startswith("Historical")
    ]


@pytest.mark.parametrize("model", results_models(), ids=lambda model: model.__name__)
def test_every_model_is_in_the_admin_with_search_and_filters(model):
    model_admin = admin.site._registry.get(model)

    assert model_admin is not None
    assert model_admin.search_fields
    assert model_admin.list_filter


@pytest.mark.django_db
@pytest.mark.parametrize("model", results_models(), ids=lambda model: model.__name__)
def test_every_changelist_renders_and_searches(admin_client, model):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"

    response = admin_client.get(url, {"q": "Integration"})

    assert response.status_code == 200
    assert response.context["cl"].model is model
