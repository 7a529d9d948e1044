from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("documents/<int:pk>/", views.document_file, name="document"),
]
