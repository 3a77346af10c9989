from django.urls import path

from dhakira.apps.law import views

app_name = "legal"
urlpatterns = [
    path("", views.charge_list, name="charge_list"),
    path("charges/new/", views.charge_create, name="charge_create"),
    path("charges/<int:pk>/", views.matrix, name="matrix"),
    path("charges/<int:pk>/items/", views.charge_items, name="charge_items"),
    path("charges/<int:pk>/assess/", views.assess, name="assess"),
    path("charges/<int:pk>/patterns/", views.patterns, name="patterns"),
    path("policy-documents/flag/", views.flag, name="flag"),
    path("perpetrators/find/", views.find_perpetrator, name="find_perpetrator"),
    path("perpetrators/", views.perpetrator_list, name="perpetrator_list"),
    path("perpetrators/person/<int:pk>/", views.person, name="person"),
    path("perpetrators/unit/<int:pk>/", views.unit, name="unit"),
]
