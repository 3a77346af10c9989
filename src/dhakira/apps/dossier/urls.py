from django.urls import path

from dhakira.apps.dossier import views

app_name = "dossier"
urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/consent/", views.person_consent, name="person_consent"),
    path("recipients/", views.recipient_list, name="recipient_list"),
    path("recipients/new/", views.recipient_new, name="recipient_new"),
    path("recipients/<int:pk>/", views.recipient_edit, name="recipient_edit"),
    path("people/<int:pk>/same/", views.person_same, name="person_same"),
    path("people/<int:pk>/links/<int:link>/split/", views.person_unlink, name="person_unlink"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("sources/", views.source_list, name="source_list"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/new/draft/", views.draft_save, name="draft_save"),
    path("reports/new/draft/discard/", views.draft_discard, name="draft_discard"),
    path("reports/new/date-preview/", views.date_preview, name="date_preview"),
    path("reports/new/suggest/", views.name_suggestions, name="name_suggestions"),
    path("timeline/", views.timeline, name="timeline"),
    path("map/", views.map_view, name="map"),
    # The field travels in the POST body: an access log must not say which field was read.
    path("reveal/<str:kind>/<int:pk>/", views.reveal, name="reveal"),
    path("api/people/", views.api_person_list, name="api_person_list"),
    path("api/people/<int:pk>/", views.api_person_detail, name="api_person_detail"),
]
