from staffroom.core.pln import (
    LearningStyle,
    Modality,
    Purpose,
    modalities_for_learning_styles,
    with_pln,
)


def test_purposes_are_the_five_of_the_brief():
    assert set(Purpose.values) == {"resources", "practices", "inspiration", "support", "mentorship"}


def test_learning_styles_map_to_the_modalities_that_serve_them():
    assert modalities_for_learning_styles([LearningStyle.VISUAL]) == {"image", "video"}
    assert modalities_for_learning_styles(["auditory", "textual"]) == {
        "audio",
        "video",
        "text",
        "link",
        "document",
    }
    assert modalities_for_learning_styles(["nonsense"]) == frozenset()


def test_modalities_include_the_resource_card():
    assert Modality.RESOURCE in Modality.values


def test_with_pln_merges_into_one_extension_object_without_mutating():
    entity = {"id": "1", "pln": {"role": "teacher"}}
    extended = with_pln(entity, {"subjects": ["math"], "away": False})
    assert extended == {"id": "1", "pln": {"role": "teacher", "subjects": ["math"], "away": False}}
    assert entity == {"id": "1", "pln": {"role": "teacher"}}
