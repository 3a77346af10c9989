from django.urls import path

from dhakira.apps.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.case_new, name="case_new"),
    path("api/cases/", views.api_cases, name="api_cases"),
    path("<str:code>/", views.case_detail, name="case_detail"),
    path("<str:code>/status/", views.case_transition, name="case_transition"),
    path("<str:code>/add/<str:what>/", views.case_add, name="case_add"),
    path("<str:code>/tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("<str:code>/funds/<int:pk>/reverse/", views.disbursement_reverse,
         name="disbursement_reverse"),
    path("<str:code>/purge/", views.case_purge, name="case_purge"),
    path("<str:code>/seal/", views.case_seal, name="case_seal"),
    path("<str:code>/open/", views.open_request, name="open_request"),
    path("<str:code>/open/<int:pk>/approve/", views.open_approve, name="open_approve"),
]
