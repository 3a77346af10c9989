from django.urls import path

from dhakira.apps.importing import views

app_name = "importing"
urlpatterns = [
    path("", views.start, name="start"),
    path("<int:pk>/map/", views.map_columns, name="map"),
    path("<int:pk>/mapping.yaml", views.download_mapping, name="mapping"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/import/", views.import_sheet, name="import"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("done/<int:pk>/", views.result, name="result"),
]
