from django.urls import path

from dhakira.dossier import views

app_name = "dossier"
urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("reveal/<str:kind>/<int:pk>/<str:field>/", views.reveal, name="reveal"),
    path("api/people/", views.api_person_list, name="api_person_list"),
    path("api/people/<int:pk>/", views.api_person_detail, name="api_person_detail"),
]
