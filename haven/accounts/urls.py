from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/verify/", views.verify, name="verify"),
    path("sign-in/set-up/", views.set_up_mfa, name="set-up-mfa"),
    path("sign-out/", views.sign_out, name="sign-out"),
]
