"""Word lists for finding names of people: first names, surnames, and the words that look like
names but are ordinary Swedish (or medical) words.

The lists favour the names of people who live in Swedish nursing homes today (born 1920–1950)
and of the staff around them. They are not exhaustive; the context rules in names_rules.py catch
unknown names after "Herr/Fru", "patienten", "brukaren" and the like.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FEMALE = _words("""
Agda Agnes Agneta Aina Aino Alba Alexandra Alice Alicia Alma Alva Amanda Amelia Amira Ann Anna
Annbritt Anne Anneli Annelie Annette Annie Annika Ansa Anita Antonia Asta Astrid Aurora Barbro
Beata Berit Bernice Betty Birgit Birgitta Bodil Brita Britt Britta Camilla Carin Carina Carola
Caroline Cecilia Charlotte Christina Christine Dagmar Dagny Daniela Desirée Doris Dorotea Ebba
Edit Edith Eivor Elin Elina Elisabet Elisabeth Ella Ellen Ellinor Elsa Elsie Elvira Emelie Emilia
Emma Erika Ester Esther Eva Evelina Fatima Frida Gerd Gertrud Gisela Greta Gudrun Gull Gullan
Gullbritt Gun Gunborg Gunhild Gunilla Gunnel Gunvor Hanna Harriet Hedda Hedvig Helen Helena
Helga Helén Hilda Hildur Hillevi Hjördis Ida Inga Ingalill Ingeborg Ingegerd Ingela Inger
Ingrid Irene Irja Irma Isabella Jadwiga Jenny Jessica Johanna Josefin Josefina Judit Julia
Kajsa Karin Karolina Katarina Kerstin Kristin Kristina Laila Laura Lea Leila Lena Lilian Lillemor
Lilly Linda Linn Linnéa Lisa Lisbet Lisbeth Liselott Louise Lovisa Lucia Lydia Madeleine Magda
Magdalena Maja Majken Majvor Malin Margareta Margit Margot Margret Maria Marianne Marie Marika
Marina Marit Marita Marlene Martina Matilda Mathilda Maud Mildred Milla Mimmi Mirja Moa Mona
Monica Monika Märta Märit Nadja Nanna Naima Nina Nora Olga Olivia Paula Petra Pia Pirjo Raili
Ragnhild Rakel Rebecka Regina Riitta Ronja Rosa Rose Rosita Ruth Sabina Saga Sandra Sara Sarah
Selma Signe Sigrid Silvia Simone Siri Siw Sofia Sofie Solveig Sonja Stella Stina Susanne Svea
Sylvia Tekla Teresia Terttu Thea Therese Tilda Tina Tora Tove Tuula Tyra Ulla Ulrika Valborg
Vanja Vendela Veronica Victoria Viktoria Vilma Viola Vivan Vivi Vivianne Wilhelmina Ylva Yvonne
Zeynep Åsa Maj Ottilia Amalia Ebba Hertha Hulda Jenny Klara Lovisa Malla Naemi Olivia Rigmor Sigrun
Alfhild Ellen Gunbritt Ingbritt Majlis Ulla-Britt Anna-Lisa Ann-Marie Ann-Christin Rose-Marie
""")

MALE = _words("""
Abbe Adam Adolf Albert Albin Alexander Alf Alfred Algot Ali Allan Alvar Anders Andreas Anton Arne
Arnold Aron Arvid Assar Axel Bengt Benny Bernt Bert Bertil Birger Björn Bo Boris Börje Carl
Christer Christian Claes Dan Daniel David Dennis Dragan Ebbe Edvin Edvard Egon Einar Elias
Elis Elof Emil Enar Erik Erland Ernst Eskil Evert Filip Folke Fredrik Fritiof Gerhard Gert
Gillis Gottfrid Greger Gunnar Gustaf Gustav Göran Gösta Göte Hampus Harald Harry Hasse Hans
Helge Henning Henrik Herbert Hilding Hjalmar Holger Hugo Ingemar Ingmar Ingvar Isak Ivan Ivar
Jack Jakob Jan Jarl Jesper Joakim Johan Johannes John Jonas Jonny Jorma Josef Juha Kalle Karl
Kenneth Kent Kjell Klas Knut Konrad Kurt Lage Lars Lasse Leif Lennart Leo Linus Ludvig Magnus
Malte Manfred Marcus Markus Martin Mats Matti Mattias Mauritz Mikael Milan Mohammed Mohamed
Nils Niklas Nikola Olle Olof Oscar Oskar Osvald Otto Ove Patrik Pekka Per Peter Petter Rafael
Ragnar Ralf Rasmus Reinhold Robert Roger Roland Rolf Rune Rudolf Rutger Samuel Sebastian Seppo
Sigfrid Sigge Sigurd Sigvard Simon Sixten Stanislaw Sten Stefan Stellan Stig Sture Sune Svante
Sven Sören Teodor Thomas Tobias Tomas Tommy Tor Torbjörn Tord Tore Torgny Torsten Ture Uno Urban
Valdemar Valter Verner Viktor Vilhelm Vilgot Waldemar Walter Werner Wilhelm William Yngve
Zoran Åke Östen Kjell-Åke Karl-Erik Per-Olof Nils-Erik Lars-Göran Jan-Erik Sven-Olof Hans-Åke
Ahmed Hassan Amir Mehmet Jovan Goran Petar Janusz Tadeusz Heikki Kari Timo Eino Väinö Reino
""")

FIRST_NAMES: frozenset[str] = FEMALE | MALE

# First names that are also ordinary words, month names or common abbreviations. Alone at the
# start of a sentence they are taken as words; elsewhere, capitalised, as names.
AMBIGUOUS_FIRST_NAMES = _words("""
Alla Bo Per Hans Dag Maj Juni August Liv Sten Stig Björn Tor Sol Ros Rosa Rose Vera Iris Saga
Ask Axel Fred Max Ella Edit Gull Gun Siv Klas Ebbe Vide Love Mona Linn Leo Tyra Lisa Karl Jan Dan
Bert Kent Milan Ali Ivan Rut Ruth Malin Viola Siri Pia Nora Moa Tina Lena Eva Kim Sam Otto Vilja
Alf Bengt Inge Hugo Märta Olga Julia Rakel Malla Frank John Jack Stina Ester Signe Karin Harry
Selma Adam Kajsa Elis Ester Magda Sara Svea Tekla Lucia Maria Emil Lasse Kalle Boris Vivi Ida
""")
# The subset that is never a name at the start of a sentence unless more evidence follows.
SENTENCE_START_WORDS = _words("""
Alla Bo Per Hans Dag Maj Juni August Liv Sten Stig Björn Tor Sol Ros Rosa Vera Iris Saga Ask
Axel Fred Max Edit Gull Gun Siv Klas Ebbe Vide Love Linn Kim Sam Vilja Inge Lena Rut Karl Jan Dan
Ella Mona Kent Otto Ida Lucia Maria Svea Tekla
""")

# Surnames that are names and nothing else.
SURNAMES = _words("""
Andersson Johansson Karlsson Carlsson Nilsson Eriksson Larsson Olsson Persson Svensson
Gustafsson Gustavsson Pettersson Petersson Jonsson Jansson Hansson Bengtsson Jönsson
Lindberg Jakobsson Jacobsson Magnusson Olofsson Lindström Lindqvist Lindkvist Lindgren Axelsson
Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson
Lundqvist Lundkvist Håkansson Björklund Bergström Gunnarsson Fransson Samuelsson Holmberg
Nyström Lundberg Fors Söderberg Holmgren Nyberg Isaksson Arvidsson Mårtensson Nordström Lundgren
Berggren Sundberg Hedlund Åberg Mattsson Matsson Öberg Nordin Sundström Holmqvist Ström
Nordqvist Lindholm Ekström Hermansson Dahlberg Sundqvist Hellström Lundin Strand Jakobson
Bergqvist Berglöf Sjögren Söderström Lindahl Mohammadi Ali Ahmed Hassan Abdullahi Korhonen
Virtanen Mäkinen Nieminen Kovačević Jovanović Nowak Kowalski Wiśniewski Lundell Granström
Blomqvist Blomberg Åkesson Engberg Ekberg Dahlgren Borg Löfgren Wikström Åström Hägglund
Nordlund Backman Falk Lund Blom Sandström Ahlström Lindblom Sjöström Westerberg Wennberg
Holm Berg Ek Lind Björk Dahl Sjö Hall Sund Wik Hed Strid Ståhl Bäck Nord Lilja Boman Bergman
Lindén Ekman Edlund Norberg Wahlberg Kvist Kristiansson Kristensson Stenberg Svärd Åkerlund
""")
# Short surnames that are also ordinary words or places: only after a first name or a title.
WEAK_SURNAMES = _words("""
Holm Berg Ek Lind Björk Dahl Sjö Hall Sund Wik Hed Strid Ståhl Bäck Nord Lilja Strand Ström Fors
Falk Lund Blom Borg Kvist Svärd Ali Ahmed Hassan
""")

# Capitalised words that look like names here but are not people: eponyms, laws, systems, places.
NOT_NAMES = _words("""
Parkinson Parkinsons Alzheimer Alzheimers Huntington Huntingtons Downton Norton Nortons Braden
Glasgow Morse Waterlow Apgar Lewy Creutzfeldt Korsakoff Korsakoffs Wernicke Crohn Crohns
Addison Addisons Cushing Cushings Basedow Sjögrens Raynaud Raynauds Hodgkin Hodgkins
Lex Senior Alert Cosmic Treserva Pascal Lifecare Procapita Phoniro Take Care Melior
Prator Janusinfo Fass Inera Teams Skype Zoom Sankt Karolinska Sahlgrenska Ersta Sofiahemmet
Stockholm Göteborg Malmö Uppsala Lund Umeå Linköping Örebro Västerås Norrköping Eskilstuna
Sverige Norden Europa Svenska Sveriges Socialstyrelsen Läkemedelsverket Vårdhandboken
Januari Februari Mars April Maj Juni Juli Augusti September Oktober November December
Måndag Tisdag Onsdag Torsdag Fredag Lördag Söndag Påsk Jul Midsommar Nyår
MAS MAR SÄBO BPSD VC HSL SoL LSS IVO NPÖ SIP NEWS Alfa Beta Gamma Delta
""")
