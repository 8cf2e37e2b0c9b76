from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("konto/mina-uppgifter/", views.my_data, name="my-data"),
    path("konto/mina-uppgifter.json", views.my_data_json, name="my-data-json"),
    path("personuppgifter/", views.people, name="people"),
    path("personuppgifter/<int:pk>/", views.person_data, name="person-data"),
    path("personuppgifter/<int:pk>.json", views.person_data_json, name="person-data-json"),
    path("personuppgifter/<int:pk>/radera/", views.person_erase, name="person-erase"),
]
