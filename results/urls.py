from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:conf>/", views.conference, name="conference"),
    path("<slug:conf>/tische/<int:number>/", views.table_short, name="table-short"),
    path("<slug:conf>/tische/<slug:slug>/", views.table, name="table"),
    path("<slug:conf>/stationen/<int:number>/", views.station, name="station"),
]
