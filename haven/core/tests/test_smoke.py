def test_it_builds_the_world(world):
    assert world.child.local_id.startswith("WCC")
    assert world.alice.has_capability("people.view")
    assert not world.nora.capabilities
