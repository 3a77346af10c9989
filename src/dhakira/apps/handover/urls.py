from django.urls import path

from dhakira.apps.handover import views

app_name = "handover"
urlpatterns = [
    path("disclosures/", views.disclosure_list, name="list"),
    path("packages/check/", views.prepare, name="prepare"),
    path("exports/new/", views.export, name="export"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="detail"),
    path("disclosures/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("disclosures/person/<int:pk>/", views.person_holders, name="holders"),
]
