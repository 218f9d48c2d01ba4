"""Entities: names the knowledge base lacks are found from each language's cues; short mentions resolve."""

from __future__ import annotations

import pytest

from engine_helpers import article, events_of, names_of


def test_entities_office_title_names_an_unknown_person_and_gives_the_office_country():
    found = article("NUKU'ALOFA - Menteri Perikanan Vanuatu, Joel Takarangi, bertemu dengan nelayan di pelabuhan "
                    "pada Senin. Takarangi mengatakan kuota baru berlaku bulan depan.", language="id")
    person = names_of(found)["Joel Takarangi"]
    assert person["type"] == "PERSON" and person["kb"] is False and person["country"] == "VUT"
    surfaces = {m["surface"] for m in found.mentions if m["entity_id"] == person["entity_id"]}
    assert surfaces == {"Joel Takarangi", "Takarangi"}


def test_entities_speech_verb_and_appositive_expert_find_people_and_their_university():
    found = article("Harga beras naik lagi. \"Pasokan dari Thailand tersendat,\" kata Ratna Sulistyowati, "
                    "seorang peneliti di Universitas Andalas Padang.", language="id")
    names = names_of(found)
    assert names["Ratna Sulistyowati"]["type"] == "PERSON"
    assert names["Ratna Sulistyowati"]["country"] == "IDN"  # from her affiliation's city
    assert names["Universitas Andalas"]["type"] == "ORG" and names["Universitas Andalas"]["sector"] == "EDU"
    assert names["Padang"]["type"] == "GPE" and names["Padang"]["lat"] == pytest.approx(-0.95, abs=0.3)


def test_entities_english_cues_find_people_and_organisations():
    found = article("GDANSK - The port's new crane arrived on Monday, said Marta Kowalczyk, a researcher at the "
                    "University of Gdansk. Harbour Commissioner Piotr Zielinski told reporters the Baltic Freight "
                    "Authority would inspect it. Kowalczyk said the delay had cost money.", language="en")
    names = names_of(found)
    assert names["Marta Kowalczyk"]["type"] == "PERSON"
    assert names["Piotr Zielinski"]["type"] == "PERSON"
    assert names["University of Gdansk"]["type"] == "ORG"
    assert names["Baltic Freight Authority"]["type"] == "ORG"
    kowalczyk = names["Marta Kowalczyk"]["entity_id"]
    assert sum(m["entity_id"] == kowalczyk for m in found.mentions) == 2


def test_entities_organisation_head_and_bracketed_acronym_link_later_short_forms():
    found = article("Badan Penanggulangan Bencana Daerah (BPBD) Maluku Utara mengirim tenda ke Ternate. "
                    "Kepala BPBD Maluku Utara, Samsul Bahri, mengatakan bantuan tambahan akan tiba.", language="id")
    org = names_of(found)["Badan Penanggulangan Bencana Daerah Maluku Utara"]
    assert org["type"] == "ORG" and org["sector"] == "GOV"
    assert sum(m["entity_id"] == org["entity_id"] for m in found.mentions) == 2
    assert names_of(found)["Samsul Bahri"]["type"] == "PERSON"


def test_entities_short_kim_resolves_to_the_kim_last_named_in_full():
    found = article("Kim Jong Un bertemu Putin. Kim tiba dengan kereta. Ayahnya, Kim Jong Il, pernah ke Moskow. "
                    "Kim Jong Il meninggal pada 2011. Kim dikenal takut terbang.", language="id")
    by_id = {row["entity_id"]: row["name"] for row in found.entities}
    kims = [by_id[m["entity_id"]] for m in found.mentions if m["surface"] == "Kim"]
    assert kims == ["Kim Jong Un", "Kim Jong Il"]


def test_entities_common_words_and_first_names_are_not_places():
    found = article("Ada pepatah lama di Rusia. Presiden Vladimir Putin berkata Kota itu indah. Kim Jong Un diam. "
                    "Tanpa perang, ekonomi tumbuh.", language="id")
    places = {row["name"] for row in found.entities if row["type"] in ("GPE", "LOC")}
    assert places == {"Russia"}


def test_entities_metonyms_keep_their_entity_and_carry_the_country_they_stand_for():
    found = article("Kremlin mengatakan Moskow siap. Gedung Putih menolak klaim itu.", language="id")
    names = names_of(found)
    assert names["Kremlin"]["type"] == "ORG" and names["Kremlin"]["country"] == "RUS"
    assert names["White House"]["country"] == "USA"


def test_entities_ambiguous_city_is_read_in_the_article_context():
    found = article("Prime Minister Keir Starmer spoke in Washington about Britain. Sunderland and Washington "
                    "in Tyne and Wear voted. The United Kingdom and Britain welcomed it.", language="en")
    washington = names_of(found)["Washington"]
    assert washington["country"] == "GBR"
    found = article("The United States and America's allies met in Washington.", language="en")
    assert names_of(found)["Washington"]["country"] == "USA"


@pytest.mark.parametrize("text, language, expected", [
    ("Путин прибыл в Пхеньян, где его встретил Ким Чен Ын.", "ru", {"Vladimir Putin", "Pyongyang", "Kim Jong Un"}),
    ("푸틴 대통령은 평양에서 김정은 위원장과 회담했다.", "ko", {"Vladimir Putin", "Pyongyang", "Kim Jong Un"}),
])
def test_entities_cyrillic_and_hangul_aliases_link_the_same_actors(text, language, expected):
    found = article(text, language=language)
    assert expected <= set(names_of(found))
    happened = {event[:3] for event in events_of(found)}
    if language == "ru":  # Russian events are read by word order and case prepositions
        assert ("CONSULT", "Vladimir Putin", "North Korea") in happened
    else:  # Korean ones by the particles that close each name's phrase: 은 the subject, 과 the partner
        assert happened == {("CONSULT", "Vladimir Putin", "Kim Jong Un")}


def test_entities_language_is_detected_when_not_declared():
    found = article("Menteri Luar Negeri Rusia Sergei Lavrov tiba di Pyongyang pada hari Rabu untuk bertemu "
                    "dengan pejabat Korea Utara.", language=None)
    assert found.article["language"] == "id"


def test_entities_english_names_without_cues_are_read_by_their_shape_inside_a_sentence():
    found = article("VIENNA - The far-right leader accused Karl Nehammer on Thursday of betraying voters, and the "
                    "Freedom Party walked out. Nehammer denied it.", language="en")
    names = names_of(found)
    assert names["Karl Nehammer"]["type"] == "PERSON" and names["Freedom Party"]["type"] == "ORG"
    # The later surname alone is the same person.
    assert sum(m["entity_id"] == names["Karl Nehammer"]["entity_id"] for m in found.mentions) == 2


def test_entities_an_acronym_before_a_persons_name_is_their_organisation():
    found = article("Kepala BNPB Suharyanto meninjau lokasi pengungsian di Poso pada Sabtu.", language="id")
    types = {name: row["type"] for name, row in names_of(found).items()}
    assert types.get("BNPB") == "ORG" and types.get("Suharyanto") == "PERSON"


def test_entities_a_place_written_with_its_town_stands_where_the_town_stands():
    found = article("Perdana Menteri Australia bertemu dengan Presiden Prabowo Subianto di Istana Merdeka, Jakarta, "
                    "Kamis. Nelayan dari Gresik ikut hadir.", language="id")
    names = names_of(found)
    assert (names["Istana Merdeka"]["lat"], names["Istana Merdeka"]["lon"]) == (names["Jakarta"]["lat"],
                                                                                names["Jakarta"]["lon"])
    # After "dari" a town's name is the town, whatever the recogniser makes of it.
    assert names["Gresik"]["type"] == "GPE" and names["Gresik"]["lat"] is not None


def test_entities_recogniser_reads_words_as_news_ner_corpora_write_them():
    from analysis.nlp import recogniser_words

    text = 'Kata "Jokowi-JK" (KPU), di Jl. Sudirman  pada (22/8).\n\nN.M. Widodo tiba.'
    words, spaces = recogniser_words(text, {"Jl.": None})
    assert words[:8] == ["Kata", '"', "Jokowi-JK", '"', "(KPU)", ",", "di", "Jl."]
    assert "(22/8)" in words and "N.M." in words and "\n\n" in words
    rebuilt = "".join(w + (" " if s else "") for w, s in zip(words, spaces))
    assert rebuilt == text  # offsets of the recogniser's names are offsets in the article


def test_entities_bracketed_acronym_is_one_corpus_name_but_the_mention_has_no_brackets():
    from analysis.evaluate import names_as_annotated
    from analysis.nlp import analyse

    text = "Data pemilih itu dirilis oleh Komisi Pemilihan Umum (KPU) pada Senin. KPU juga membuka posko."
    analysis = analyse(text, "id")
    spans = {text[start:end] for start, end, _ in names_as_annotated(analysis)}
    assert "Komisi Pemilihan Umum (KPU)" in spans
    assert all(not m.surface.startswith("(") and not m.surface.endswith(")") for m in analysis.mentions)
    commission = {m.entity_id for m in analysis.mentions if m.surface in ("Komisi Pemilihan Umum", "KPU")}
    assert len(commission) == 1 and sum(m.surface == "KPU" for m in analysis.mentions) == 2


def test_entities_title_organisation_and_name_are_the_organisation_and_its_office_holder():
    found = article("Ketua Komisi Pemilihan Umum (KPU) Hasyim Asy'ari mengatakan hasil pemilu diumumkan besok. "
                    "KPU akan menggelar rapat pleno.", language="id")
    names = names_of(found)
    assert names["Hasyim Asy'ari"]["type"] == "PERSON"
    commission = names["Komisi Pemilihan Umum"]
    assert commission["type"] == "ORG"
    assert sum(m["entity_id"] == commission["entity_id"] for m in found.mentions) == 3


def test_entities_everyday_words_after_a_title_are_no_person_but_unfamiliar_names_stay():
    found = article("Menteri Perumahan Rakyat mengatakan harga rumah akan naik tahun depan. Di Vladivostok, Yun "
                    "bertemu dengan Gubernur Primorye Oleg Kozhemyako pada Sabtu.", language="id")
    people = {row["name"] for row in found.entities if row["type"] == "PERSON"}
    assert "Perumahan Rakyat" not in people
    assert "Oleg Kozhemyako" in people


def test_entities_places_joined_by_and_stay_two_places():
    found = article("Menteri Luar Negeri Korsel Cho Tae-yul menuding Moskow dan Pyongyang melanggar resolusi "
                    "Dewan Keamanan PBB.", language="id")
    names = names_of(found)
    assert names["Moscow"]["type"] == "GPE" and names["Pyongyang"]["type"] == "GPE"
    assert not any(" dan " in row["name"] for row in found.entities)


def test_entities_title_then_an_organisation_named_before_then_a_name_is_its_office_holder():
    found = article("Gempa itu menewaskan 23 orang, menurut Badan Nasional Penanggulangan Bencana (BNPB). "
                    "Kepala BNPB Suharyanto meninjau lokasi pengungsian di Lore Utara pada Sabtu.", language="id")
    names = names_of(found)
    assert names["Suharyanto"]["type"] == "PERSON"
    agency = names["Badan Nasional Penanggulangan Bencana"]["entity_id"]
    assert sum(m["entity_id"] == agency for m in found.mentions) == 3
    assert names["Lore Utara"]["type"] in ("GPE", "LOC")


def test_entities_name_particles_keep_a_name_whole_even_over_a_city_name():
    found = article("VIENNA - Austrian President Alexander Van der Bellen swore in the new cabinet on Monday. "
                    "Lawyer Domingos Ximenes da Costa said the ceremony was short.", language="en")
    names = names_of(found)
    assert names["Alexander Van der Bellen"]["type"] == "PERSON"
    assert names["Domingos Ximenes da Costa"]["type"] == "PERSON"
    assert "Van" not in names


def test_entities_a_person_name_the_recogniser_cut_short_is_widened_over_unfamiliar_words():
    found = article("Presiden Prabowo Subianto melantik Purbaya Yudhi Sadewa sebagai Menteri Keuangan pada Senin. "
                    "Anggota Fraksi Partai Demokrat Saan Mustopa menyambut pelantikan itu.", language="id")
    names = names_of(found)
    assert names["Purbaya Yudhi Sadewa"]["type"] == "PERSON"
    assert names["Saan Mustopa"]["type"] == "PERSON" and names["Partai Demokrat"]["type"] == "ORG"


def test_entities_english_party_and_company_names_with_possessives_and_adjectives():
    found = article("VIENNA - The conservative People's Party and the Social Democrats agreed on a coalition. "
                    "In Moscow, Russian Railways signed a deal with North Korea's Ministry of Railways.", language="en")
    names = names_of(found)
    assert names["People's Party"]["type"] == "ORG" and names["Social Democrats"]["type"] == "ORG"
    assert names["Russian Railways"]["type"] == "ORG" and names["Ministry of Railways"]["type"] == "ORG"
    assert names["North Korea"]["type"] == "GPE"


def test_entities_a_word_that_is_rarely_a_name_is_a_given_name_after_a_title():
    found = article("VIENNA - ÖVP leader Christian Stocker presented the agreement on Thursday. "
                    "The Christian Democratic Union welcomed it.", language="en")
    names = names_of(found)
    assert names["Christian Stocker"]["type"] == "PERSON"
    assert not any(row["type"] == "PERSON" and row["name"].startswith("Christian Democratic")
                   for row in found.entities)


def test_entities_an_ordinal_after_the_office_keeps_the_title_before_the_name():
    found = article("Wakil Menteri Luar Negeri Pertama Filipina Maria Santos menerima Duta Besar Vietnam pada Senin.",
                    language="id")
    assert names_of(found)["Maria Santos"]["type"] == "PERSON"


def test_entities_a_person_named_like_the_country_the_title_already_names():
    found = article("Israeli Defense Minister Israel Katz warned Hezbollah on Sunday. Katz said the army was ready.",
                    language="en")
    names = names_of(found)
    assert names["Israel Katz"]["type"] == "PERSON"
    assert sum(m["entity_id"] == names["Israel Katz"]["entity_id"] for m in found.mentions) == 2


def test_entities_organisations_named_directorate_of_bureau_of_council_of():
    found = article("NAIROBI - The Directorate of Criminal Investigations said the Council of Governors would meet "
                    "the Bureau of Statistics on Monday.", language="en")
    types = {row["name"]: row["type"] for row in found.entities}
    assert types.get("Directorate of Criminal Investigations") == "ORG"
    assert types.get("Council of Governors") == "ORG" and types.get("Bureau of Statistics") == "ORG"


def named_by_surface(found, surface: str) -> dict:
    """The entity row a surface form of the text was linked to."""
    entity_id = next(m["entity_id"] for m in found.mentions if m["surface"] == surface)
    return next(row for row in found.entities if row["entity_id"] == entity_id)


def test_entities_a_town_after_in_is_the_town_even_when_a_speech_verb_follows():
    found = article("Vanuatu counted the damage. China's embassy in Port Vila said Beijing would donate rice.",
                    language="en")
    port_vila = named_by_surface(found, "Port Vila")
    assert port_vila["type"] == "GPE" and port_vila["country"] == "VUT" and port_vila["lat"] is not None


def test_entities_a_state_of_the_country_in_the_story_wins_over_a_foreign_city_of_that_name():
    found = article("Brazil's dockworkers went on strike in Santos. Some ships were sent to the port of Paranaguá "
                    "in Paraná state.", language="en")
    parana = named_by_surface(found, "Paraná")
    assert parana["country"] == "BRA" and parana["lat"] < -20  # the state in Brazil's south, not Argentina's city
    # A capital keeps its city: "Pyongyang" alone is the capital, not the province around it.
    found = article("Russia stopped supplying Pyongyang with oil in 1990.", language="en")
    assert names_of(found)["Pyongyang"]["entity_id"].startswith("city:")


def test_entities_an_organisation_head_after_a_word_of_its_name_makes_the_whole_name_an_organisation():
    found = article("Kyrgyzstan's State Committee for National Security (GKNB) said the guards were detained. Police "
                    "asked the U.S. Federal Bureau of Investigation for help.", language="en")
    names = names_of(found)
    assert names["State Committee for National Security"]["type"] == "ORG"
    # The bracketed short form is the same organisation.
    gknb = next(m["entity_id"] for m in found.mentions if m["surface"] == "GKNB")
    assert gknb == names["State Committee for National Security"]["entity_id"]
    # A country before the name says whose it is; it is not part of the name.
    assert names["Federal Bureau of Investigation"]["type"] == "ORG"
    assert names["Federal Bureau of Investigation"]["country"] == "USA"
    assert not any(m["surface"].startswith("U.S. Federal") for m in found.mentions)



def test_entities_a_bracketed_acronym_spelling_out_more_than_a_known_name_keeps_the_longer_organisation():
    found = article("JUBA - The United Nations Mission in South Sudan (UNMISS) condemned an attack on its base near "
                    "Malakal. UNMISS said two peacekeepers were wounded. The United Nations (UN) called for calm.",
                    language="en")
    names = names_of(found)
    mission = names["United Nations Mission in South Sudan"]
    assert mission["type"] == "ORG" and mission["entity_id"] != names["United Nations"]["entity_id"]
    assert {m["surface"] for m in found.mentions if m["entity_id"] == mission["entity_id"]} == \
        {"United Nations Mission in South Sudan", "UNMISS"}
    assert [(e["type"], e["source_id"]) for e in found.events if e["trigger"] == "condemned"] == \
        [("ACCUSE", mission["entity_id"])]
    # An acronym that only repeats the known name changes nothing.
    assert names["United Nations"]["kb"] is True


def test_entities_an_indonesian_departemen_is_a_government_body_of_the_country_after_it():
    found = article("Departemen Kesehatan Filipina mengecam penjualan obat batuk palsu di Manila, Selasa.",
                    language="id")
    department = names_of(found)["Departemen Kesehatan Filipina"]
    assert department["type"] == "ORG" and department["sector"] == "GOV" and department["country"] == "PHL"


def test_entities_a_short_form_followed_by_another_country_is_that_countrys_own_body():
    found = article("Angkatan Laut Vietnam menahan sebuah kapal ikan asal Bitung pada Senin. Pekan lalu, kapal lain "
                    "ditahan Angkatan Laut Malaysia di dekat Sandakan.", language="id")
    names = names_of(found)
    assert names["Angkatan Laut Vietnam"]["country"] == "VNM"
    assert names["Angkatan Laut Malaysia"]["country"] == "MYS"
    assert names["Angkatan Laut Malaysia"]["entity_id"] != names["Angkatan Laut Vietnam"]["entity_id"]
    assert "Pekan" not in names  # "pekan lalu" is last week, not the Malaysian town


def test_entities_a_police_or_border_force_is_an_organisation_not_a_person():
    found = article("Officers of the Ghana Police Service and the Ghana Armed Forces cleared the road on Monday, while "
                    "the Australian Border Force said it had detained a second boat.", language="en")
    names = names_of(found)
    assert names["Ghana Police Service"]["type"] == "ORG"
    assert names["Australian Border Force"]["type"] == "ORG"


def test_entities_an_organisation_keeps_the_qualifiers_that_open_its_name():
    found = article("TROMSO - The Nordic Arctic Research Council said on Monday that the Northern Cattle Breeders "
                    "Association had asked for new grazing maps.", language="en")
    names = names_of(found)
    assert names["Nordic Arctic Research Council"]["type"] == "ORG"
    assert names["Northern Cattle Breeders Association"]["type"] == "ORG"
    assert not {"Arctic Research Council", "Cattle Breeders Association"} & set(names)


def test_entities_the_portfolio_before_an_office_is_no_persons_name():
    found = article("NAIROBI - Lawmakers met Kenya's Interior Security Minister on Tuesday, and Jane Wambui Otieno told "
                    "them the border would reopen.", language="en")
    names = names_of(found)
    assert "Interior Security" not in names
    assert names["Jane Wambui Otieno"]["type"] == "PERSON"


def test_entities_names_keep_their_parts_organisations_their_closing_words_and_units_their_town():
    found = article("BAGHDAD - Coalition leader Haidar Karim al-Musawi met officials of Malaysia's Ministry of "
                    "Investment, Trade and Industry and the Brazilian Association of Port Terminals (ABTP) on Monday. "
                    "The ABTP said al-Musawi had asked for a meeting.", language="en")
    names = names_of(found)
    person = names["Haidar Karim al-Musawi"]
    assert person["type"] == "PERSON"
    assert sum(m["entity_id"] == person["entity_id"] for m in found.mentions) == 2  # "al-Musawi" later
    assert names["Ministry of Investment, Trade and Industry"]["country"] == "MYS"
    assert names["Brazilian Association of Port Terminals"]["country"] == "BRA"
    polisi = names_of(article("Polres Bogor menahan tiga orang. Organisasi Kesehatan Dunia (WHO) mengirim tim "
                              "ke Bogor, kata Kapolres Bogor AKBP Budi Santoso.", language="id"))
    assert polisi["Polres Bogor"]["type"] == "ORG"
    assert polisi["World Health Organization"]["type"] == "ORG"  # linked through its Indonesian name
    assert polisi["Budi Santoso"]["type"] == "PERSON" and "Bogor AKBP" not in polisi


def test_entities_russian_people_after_a_title_and_names_in_other_cases():
    found = article("Губернатор Челябинской области Алексей Текслер в среду встретился с Сергеем Лавровым. "
                    "Представитель Министерства иностранных дел Республики Корея выступил позже.", language="ru")
    names = names_of(found)
    assert names["Алексей Текслер"]["type"] == "PERSON"  # past the region the title names
    assert "Sergei Lavrov" in names  # "Сергеем Лавровым" is the Lavrov listed as "Сергей Лавров"
    assert "Ministry of Foreign Affairs of South Korea" in names  # listed as "Министерство ..."


def test_entities_russian_bodies_named_in_quotes_are_organisations_each_its_own():
    found = article("Профсоюз «Рабочее единство» начал забастовку на АО «Уральский завод гидромашин». "
                    "Руководство завода обвиняет «Рабочее единство» в срыве заказа. "
                    "В «Рабочем единстве» заявили, что забастовка продолжится.", language="ru")
    names = names_of(found)
    union, plant = names["Рабочее единство"], names["Уральский завод гидромашин"]
    assert union["type"] == plant["type"] == "ORG"
    assert union["entity_id"] != plant["entity_id"]  # names in another script get ids of their own
    assert sum(m["entity_id"] == union["entity_id"] for m in found.mentions) == 3  # "«Рабочем единстве»" too
    assert "Oral" not in names  # "Уральский" inside the plant's name is no town


def test_entities_a_recognised_name_in_capitals_alone_is_an_organisation_not_a_person():
    extracted = article("Indonesia dan Uni Eropa menyelesaikan perundingan IEU-CEPA di Brussel pada Selasa. Menteri "
                        "Perdagangan mengatakan IEU-CEPA akan ditandatangani tahun depan.", language="id")
    types = {m["surface"]: t for m in extracted.mentions
             for t in [next(r["type"] for r in extracted.entities if r["entity_id"] == m["entity_id"])]}
    assert not any(t == "PERSON" and "CEPA" in surface for surface, t in types.items())


def test_entities_russian_region_named_by_its_capitals_adjective_in_any_case():
    extracted = article("Ким Чен Ын посетил Хабаровский край. Губернатор Оренбургской области Денис Паслер посетил Орск. "
                        "В Челябинской области прошли обыски.", language="ru")
    kinds = {m["surface"]: next((r["entity_id"], r["name"]) for r in extracted.entities
                                if r["entity_id"] == m["entity_id"]) for m in extracted.mentions}
    assert kinds["Хабаровский край"][1] == "Khabarovsk Krai"
    assert kinds["Оренбургской области"][0].startswith("region:RUS:")
    assert kinds["Челябинской области"][0].startswith("region:RUS:")
    assert "Челябинской" not in kinds  # not the city


def test_entities_russian_bodies_named_by_their_kind_with_the_place_they_serve():
    found = article("Федерация независимых профсоюзов России призвала Министерство промышленности и торговли России "
                    "вмешаться. Прокуратура Челябинской области подала иск в Миасский городской суд. Во вторник "
                    "сотрудники Следственного комитета задержали подрядчика. Следственный комитет России возбудил "
                    "уголовное дело. Суд постановил отпустить его. Межрегиональный профсоюз «Рабочее единство» "
                    "продолжил забастовку.", language="ru")
    names = names_of(found)
    for name in ("Федерация независимых профсоюзов России", "Министерство промышленности и торговли России",
                 "Прокуратура Челябинской области", "Миасский городской суд"):
        assert names[name]["type"] == "ORG", name
    assert names["Прокуратура Челябинской области"]["country"] == "RUS"  # the region it serves
    committee = [m["surface"] for m in found.mentions if m["entity_id"] == names["Следственного комитета"]["entity_id"]]
    assert committee == ["Следственного комитета", "Следственный комитет России"]  # one body in two cases
    assert not any(m["surface"].startswith("Суд") for m in found.mentions)  # "the court ruled" names no court
    assert "Рабочее единство" in names and not any("Межрегиональный" in n for n in names)


def test_entities_russian_people_past_acronyms_quotes_and_hyphens_after_a_title():
    found = article("В понедельник глава ГКНБ Киргизии Камчыбек Ташиев провел встречу с председателем ГКНБ "
                    "Таджикистана. Президент Казахстана Касым-Жомарт Токаев выразил соболезнования. Полиция "
                    "задержала директора подрядной компании «Уралгидрострой-О» Виктора Лаптева. Адвокат профсоюза "
                    "Ольга Седых назвала задержание незаконным.", language="ru")
    names = names_of(found)
    for person in ("Камчыбек Ташиев", "Касым-Жомарт Токаев", "Виктора Лаптева", "Ольга Седых"):
        assert names[person]["type"] == "PERSON", person
    assert names["ГКНБ Киргизии"]["type"] == names["ГКНБ Таджикистана"]["type"] == "ORG"
    assert names["ГКНБ Киргизии"]["entity_id"] != names["ГКНБ Таджикистана"]["entity_id"]


def test_entities_russian_towns_known_by_their_latin_names_are_found_in_any_case():
    found = article("Киргизия и Таджикистан провели переговоры о границе. Конфликт начался в Исфаре, а пограничники "
                    "задержали граждан в Баткенской области. Город Баткен закрыт. Новые переговоры пройдут у Лаврова.",
                    language="ru")
    places = {m["surface"]: next(r["name"] for r in found.entities if r["entity_id"] == m["entity_id"])
              for m in found.mentions}
    assert places["Исфаре"] == "Isfara" and places["Баткен"] == "Batken"
    assert places["Баткенской области"] == "Batken"
    assert next(r for r in found.entities if r["name"] == "Batken" and r["entity_id"].startswith("region:"))
    assert "Лаврова" not in places or places["Лаврова"] == "Sergei Lavrov"  # a surname is no town


def test_entities_korean_bodies_of_bodies_and_people_titled_after_their_firm():
    found = article("전국금속노동조합 동해조선해양지부가 16일 전면 파업에 들어갔다. 이정우 동해조선해양 대표는 같은 날 "
                    "담화문을 냈다. 앞서 국가정보원은 국회 정보위원회에서 보고했다. 김 위원장은 우크라이나 전쟁에서 "
                    "러시아 정부가 취하는 정책을 지지한다고 말했다.", language="ko")
    names = names_of(found)
    assert names["전국금속노동조합 동해조선해양지부"]["type"] == "ORG"  # the branch, not the national union
    assert "전국금속노동조합" not in names
    assert names["국회 정보위원회"]["type"] == "ORG"
    assert names["이정우"]["type"] == "PERSON"  # past the firm, before "대표는"
    assert not any(row["type"] == "PERSON" and "전쟁" in name for name, row in names.items())  # "정부가" titles no one


def test_entities_korean_regions_written_as_their_citys_name_and_ju():
    found = article("김정은 위원장은 하바롭스크주 콤소몰스크나아무레의 전투기 공장을 방문했다. 북한군은 쿠르스크주에 "
                    "배치됐다. 대표단은 이르쿠츠크주에서 회의를 열었다.", language="ko")
    regions = {m["surface"]: m["entity_id"] for m in found.mentions}
    assert names_of(found)["Khabarovsk Krai"]["entity_id"] == regions["하바롭스크주"]
    assert regions["이르쿠츠크주"] == "region:RUS:irkutsk"
    assert regions["쿠르스크주"].startswith("region:RUS:kursk") or "Kursk Oblast" in names_of(found)
    visits = {e[2] for e in events_of(found) if e[0] == "CONSULT"}
    assert visits == {"Komsomolsk-on-Amur"}  # the region only says where the town is


def test_entities_russian_a_statement_or_an_airline_in_quotes_is_no_place_or_body_of_its_own():
    found = article("Заявление комиссии распространило агентство. Первый рейс авиакомпания «Северный ветер» выполнит "
                    "27 июля.", language="ru")
    names = names_of(found)
    assert not any(name.startswith("Заявление") for name in names)
    assert names["Северный ветер"]["type"] == "ORG"


def test_entities_korean_names_with_a_bracketed_acronym_and_names_after_a_clause_word():
    found = article("러시아 철도공사(RZD)는 하산과 나진을 잇는 철도의 화물 운송을 북한과 함께 늘리기로 합의했다고 밝혔다. "
                    "정부는 국가안전보장회의(NSC) 상임위원회를 열었다. 제재 대상에는 김영복 북한군 부총참모장이 "
                    "포함됐다. 정보위 여당 간사인 이성권 의원은 기자들에게 설명했다.", language="ko")
    names = names_of(found)
    assert names["Russian Railways"]["type"] == "ORG"
    assert "National Security Council (South Korea)" in names
    assert names["김영복"]["type"] == "PERSON" and names["이성권"]["type"] == "PERSON"
    assert not any(name.startswith(("대상에는", "간사인")) for name in names)
    assert any(e[0] == "AGREE" and e[1] == "Russian Railways" and e[2] == "North Korea" for e in events_of(found))


def test_entities_korean_airlines_commands_and_banks_named_by_their_kind():
    found = article("고려항공은 평양과 블라디보스토크 노선을 증편했다. 러시아 극동사령부가 훈련을 실시했다. "
                    "러시아 중앙은행은 금리를 동결했다.", language="ko")
    names = names_of(found)
    assert names["고려항공"]["type"] == "ORG" and names["극동사령부"]["type"] == "ORG"
    assert names["중앙은행"]["type"] == "ORG"


def test_entities_korean_body_with_its_heads_title_glued_on_is_the_body_and_the_name_before_is_its_head():
    found = article("리창호 정찰총국장은 이날 러시아를 방문했다. 국정원장은 국회 정보위원회에서 북한을 비난했다.", language="ko")
    names = names_of(found)
    assert {"Reconnaissance General Bureau", "National Intelligence Service (South Korea)"} <= set(names)
    assert names["리창호"]["type"] == "PERSON"  # the title glued to the body still makes the name before a person
    events = events_of(found)
    assert ("CONSULT", "리창호", "Russia") in [e[:3] for e in events]
    assert ("ACCUSE", "National Intelligence Service (South Korea)", "North Korea") in [e[:3] for e in events]


def test_entities_korean_body_of_a_named_state_is_that_states_not_the_one_the_bare_word_names():
    found = article("말레이시아 외교부는 인도네시아를 비판했다. 러시아 외교부는 반발했다. 인도네시아 국군(TNI)도 병력을 보냈다.",
                    language="ko")
    names = names_of(found)
    assert "Ministry of Foreign Affairs of South Korea" not in names  # "외교부" alone would be Seoul's
    assert names["말레이시아 외교부"]["type"] == "ORG" and names["말레이시아 외교부"]["country"] == "MYS"
    assert "Ministry of Foreign Affairs of Russia" in names  # the knowledge base's own body of that state
    assert names["인도네시아 국군"]["country"] == "IDN"


def test_entities_korean_person_named_before_a_body_and_a_title_and_the_body_between():
    found = article("하니프 파이솔 누로픽 인도네시아 환경부 장관은 14일 말레이시아를 비판했다. 알렉세이 체쿤코프 러시아 "
                    "극동·북극개발부 장관은 같은 날 말했다. 제재 대상에는 김영복 부총참모장이 포함됐다.", language="ko")
    names = names_of(found)
    assert names["하니프 파이솔 누로픽"]["type"] == "PERSON" and names["알렉세이 체쿤코프"]["type"] == "PERSON"
    assert names["인도네시아 환경부"]["type"] == "ORG" and names["인도네시아 환경부"]["country"] == "IDN"
    assert names["러시아 극동·북극개발부"]["type"] == "ORG"
    assert not [n for n in names if "대상" in n]  # a clause word opens no name


def test_entities_korean_surname_and_title_follow_a_person_found_by_their_title():
    found = article("박경일 북한 육해운성 부상이 도착했다. 박 부상 일행은 25일 항구를 둘러봤다.", language="ko")
    pak = [m for m in found.mentions if m["surface"] == "박"]
    assert pak and pak[0]["entity_id"] == next(m["entity_id"] for m in found.mentions if m["surface"] == "박경일")
