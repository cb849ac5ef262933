from sdg_pipeline.convert import convert_document
from sdg_pipeline.convert.front_matter import split_front_matter

SECRET_DOC = (
    "---\ntitle: Secret internal title\nauthor: Bob\napi_token: tok-INTERNAL-4242\n---\n\n"
    "# Warranty\n\nThe warranty lasts two years.\n"
)


def test_front_matter_is_metadata_and_never_reaches_the_markdown() -> None:
    result = convert_document(SECRET_DOC.encode(), "policy.md")
    assert "tok-INTERNAL-4242" not in result.markdown
    assert "Secret internal title" not in result.markdown
    assert "The warranty lasts two years." in result.markdown


def test_split_front_matter_returns_the_mapping_and_the_body() -> None:
    meta, body = split_front_matter(SECRET_DOC)
    assert meta == {
        "title": "Secret internal title",
        "author": "Bob",
        "api_token": "tok-INTERNAL-4242",
    }
    assert body.startswith("\n# Warranty")


def test_a_block_that_is_not_a_yaml_mapping_is_not_front_matter() -> None:
    text = "---\n- a\n- b\n---\nbody"
    assert split_front_matter(text) == ({}, text)
