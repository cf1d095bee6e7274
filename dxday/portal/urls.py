from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("hoat-dong/", views.activities, name="activities"),
    path("hoat-dong/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("lich/", views.activity_calendar, name="calendar"),
    path("uu-dai/", views.offers, name="offers"),
    path("nam/<int:year>/", views.campaign_year, name="campaign_year"),
    path("ban-do/", views.country, name="map"),
    path("ban-do/<str:code>/", views.country_province, name="map_province"),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    path(
        "du-lieu-mo/hoat-dong.<str:fmt>",
        views.open_data_activities,
        name="open_data_activities",
    ),
    path("du-lieu-mo/uu-dai.<str:fmt>", views.open_data_offers, name="open_data_offers"),
    # The data dictionary of each dataset: hoat-dong, uu-dai.
    path("du-lieu-mo/<slug:dataset>/", views.open_data_dictionary, name="open_data_dictionary"),
]
