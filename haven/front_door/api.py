from ninja import Router

router = Router(tags=["front_door"])
