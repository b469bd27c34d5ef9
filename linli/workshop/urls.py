from django.urls import path

from linli.workshop.views import pages as v

app_name = "workshop"

urlpatterns = [
    path("", v.orders, name="orders"),
    path("orders/<int:pk>/", v.order_page, name="order"),
    path("orders/<int:pk>/do/<str:action>/", v.order_do, name="order_do"),
    path("orders/<int:pk>/lots/", v.lot_new, name="lot_new"),
    path("orders/<int:pk>/deliveries/", v.delivery_new, name="delivery_new"),
    path("firms/", v.firms, name="firms"),
    path("firms/<int:pk>/statement.xlsx", v.statement, name="statement"),
    path("ledger/", v.ledger, name="ledger"),
    path("income/", v.income, name="income"),
]
