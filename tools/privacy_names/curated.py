"""Hand-curated name lists for the privacy guard's names file (our own work, same licence as
the project). Romanised spellings as they are written in Swedish registers and by staff."""

# Older Swedish first names (born 1920–1950) that may be rare among today's newborn statistics.
SWEDISH_ELDERLY_F = """
Agda Agnes Agneta Aina Alfhild Alice Alma Anna-Greta Anna-Lisa Anna-Stina Ann-Britt Ann-Mari
Ann-Marie Astrid Aurora Barbro Berit Birgit Birgitta Bodil Brita Britt Britta Britt-Marie
Dagmar Dagny Doris Ebba Edit Edith Eivor Ella Ellen Elsa Elsie Elvira Ester Esther Evy Gerd
Gertrud Greta Gudrun Gull Gullan Gull-Britt Gullbritt Gun Gunborg Gunhild Gunilla Gunnel
Gunvor Hedvig Helga Hildur Hillevi Hjördis Inga Ingalill Inga-Lill Ingeborg Ingegerd Ingela
Inger Ingrid Irene Irma Jenny Judit Karin Kerstin Laila Lilian Lillemor Lisbet Lisbeth Maj
Maj-Britt Majken Majvor Margareta Margit Margot Marianne Märta Märit Naemi Ragnhild Rigmor Rut
Ruth Sigrid Signe Siri Siv Solveig Sonja Svea Sylvia Tekla Tora Tyra Ulla Ulla-Britt Valborg
Vanja Viola Vivan Vivi Viveka Vivianne Yvonne Åsa Ottilia Amalia Hertha Hulda Klara Malla
Sigrun Elna Elvy Gunlög Ingbritt Lisa Lena Majlis Mona Ninni Rosa Rose-Marie Stina Svea
Tyra Ulrika Vera Ebon Berta Bertha Frida Hanna Ida Jenny Lovisa Matilda Nanny Selma Sigfrida
"""
SWEDISH_ELDERLY_M = """
Alf Algot Allan Alvar Anders Arne Arnold Artur Arvid Axel Bengt Bernt Bert Bertil Birger Björn
Bo Börje Carl Curt Dag Ebbe Edvin Egon Einar Elis Elof Enar Erland Ernst Eskil Evert Folke
Fritiof Gerhard Gillis Gottfrid Gunnar Gustaf Gustav Gösta Göte Harald Helge Henning Herbert
Hilding Hjalmar Holger Ingemar Ingmar Ingvar Ivar Jarl Kjell Knut Konrad Kurt Lage Lars
Leif Lennart Manfred Mauritz Nils Olle Olof Osvald Ove Ragnar Reinhold Rolf Rune Rutger Sigfrid
Sigvard Sixten Sten Stig Sture Sune Svante Sven Sören Tage Torbjörn Tord Tore Torgny Torsten
Ture Uno Valdemar Valter Verner Vilgot Yngve Åke Östen Kjell-Åke Karl-Erik Per-Olof Nils-Erik
Lars-Göran Jan-Erik Sven-Olof Hans-Åke Sven-Erik Karl-Åke Per-Erik Bengt-Göran Lars-Erik
Jan-Olof Nils-Olof Stig-Olof Bo-Göran Gunnar-Åke Ebbe Gerd Tor Hugo Ludvig Oskar
"""
# Swedish nicknames and short forms, with the name they stand for.
NICKNAMES = """
Janne:Jan Lasse:Lars Kalle:Karl Pelle:Per Nisse:Nils Olle:Olof Bosse:Bo Kjelle:Kjell
Putte:- Musse:- Gurra:Gustav Sigge:Sigvard Tompa:Tomas Micke:Mikael Jocke:Joakim Affe:Alf
Kenta:Kent Lelle:Lennart Totte:Torsten Ragge:Ragnar Bettan:Elisabeth Lotta:Charlotte
Lollo:Charlotte Kicki:Kristina Gittan:Birgitta Sussi:Susanne Sussie:Susanne Ninni:-
Vivvi:Vivi Ingis:Inger Tuttan:- Bibbi:- Gugge:- Mojje:- Loffe:Olof Fredde:Fredrik
Danne:Daniel Jonte:Jonathan Robban:Robert Roffe:Rolf Steffe:Stefan Hasse:Hans Benke:Bengt
Berra:Bertil Curre:Curt Svenne:Sven Nicke:Niklas Jerka:Jerker Pirre:- Lillan:- Mimmi:-
Nettan:Annette Tessan:Therese Majsan:Maj Gunsan:Gun Ullis:Ulla Lisen:Elisabeth Kajsa:Karin
Stisse:- Pålle:Pål Kjellan:Kjell Göte:- Tjabo:- Bengan:Bengt Stickan:Sture Sture:-
Gunnis:Gunnel Assar:- Acke:Axel Abbe:Albert Ebbe:- Ecke:Erik Lill-Erik:Erik Lillis:-
Agge:- Alle:- Pekka:Petter Kata:Katarina Kattis:Katarina Lena:Helena Malin:Magdalena
Mia:Maria Maja:Maria Majken:Maria Stina:Kristina Kerro:Kerstin Tina:Kristina Ulle:Ulf
Totta:- Nenne:- Lalla:- Cissi:Cecilia Cissan:Cecilia Titti:- Bitte:Birgitta Britten:Britt
"""
FINNISH_F = """
Aili Aino Anja Anneli Eila Elli Helmi Hilkka Irja Kaarina Kerttu Lahja Lempi Liisa Maire
Martta Pirkko Raili Raija Ritva Saimi Sirkka Sirkku Terttu Tyyne Tuula Vieno Eeva Leena
Marjatta Seija Hellevi Hilja Impi Inkeri Jenni Katri Kirsti Kyllikki Lea Maija Marja
Mirja Orvokki Paula Pirjo Riitta Sinikka Sisko Soile Taimi Tellervo Ulla Vappu Helvi Aune
"""
FINNISH_M = """
Aarne Antero Eero Eino Esko Erkki Heikki Ilmari Jorma Jouko Juhani Kalevi Kauko Lauri Markku
Martti Matti Olavi Paavo Pentti Raimo Reijo Seppo Tapio Toivo Unto Veikko Väinö Yrjö Pekka
Osmo Arvo Ahti Alpo Asko Eelis Hannu Harri Ilkka Jaakko Jukka Jussi Kari Kimmo Lasse Mauno
Niilo Onni Pauli Pertti Raili Reino Risto Sakari Taisto Tauno Teuvo Timo Tuomo Urho Vesa
"""
POLISH_F = """
Zofia Stanisława Janina Krystyna Halina Danuta Irena Jadwiga Barbara Teresa Wanda Genowefa
Kazimiera Bożena Grażyna Elżbieta Małgorzata Agnieszka Katarzyna Dorota Zofia Władysława
Bronisława Czesława Aniela Helena Marianna Leokadia Urszula Jolanta Iwona Beata Ewa Renata
"""
POLISH_M = """
Stanisław Józef Tadeusz Jerzy Zbigniew Ryszard Kazimierz Andrzej Krzysztof Henryk Zdzisław
Czesław Bogdan Mieczysław Wiesław Janusz Marek Wojciech Grzegorz Leszek Władysław Bolesław
Edward Roman Waldemar Witold Zygmunt Bronisław Eugeniusz Franciszek Jacek Piotr Paweł
"""
POLISH_S = """
Nowak Kowalski Kowalska Wiśniewski Wiśniewska Wójcik Kowalczyk Kamiński Kamińska Lewandowski
Lewandowska Zieliński Zielińska Szymański Szymańska Woźniak Dąbrowski Dąbrowska Kozłowski
Kozłowska Jankowski Jankowska Mazur Kwiatkowski Kwiatkowska Krawczyk Piotrowski Piotrowska
Grabowski Grabowska Nowakowski Nowakowska Pawłowski Pawłowska Michalski Michalska Nowicki
Nowicka Adamczyk Dudek Zając Wieczorek Jabłoński Jabłońska Majewski Majewska Olszewski
Olszewska Jaworski Jaworska Wróbel Malinowski Malinowska Pawlak Witkowski Witkowska Walczak
Stępień Górski Górska Rutkowski Rutkowska Michalak Sikora Ostrowski Ostrowska Szewczyk
Kowalewski Tomaszewski Pietrzak Marciniak Wróblewski Zalewski Jakubowski Jasiński Zawadzki
Sadowski Bąk Chmielewski Włodarczyk Borkowski Czarnecki Sawicki Sokołowski Urbański Kubiak
Maciejewski Szczepański Kucharski Wilk Kalinowski Lis Mazurek Wysocki Adamski Kaźmierczak
"""
BOSNIAN_F = """
Adisa Aida Alma Amela Amila Azra Belma Dijana Edina Elma Emina Enisa Fatima Hajra Hana Indira
Jasmina Lejla Ljiljana Maida Medina Melisa Merima Mirela Mirsada Nermina Sabina Samira Sanela
Selma Senada Snježana Suada Vesna Zehra Zlata Zumra Mirjana Dragana Gordana Jelena Milena
Biljana Slavica Zorica Ranka Radmila Esma Hatidža Munira Ramiza Safija Šefika Fata Zejna
Hanifa Zineta Dženana Dzenana Hatidza Sefika Snjezana Ajša Almasa Bahra Behija Derviša Emira
Fadila Hasiba Kada Mevlida Mubera Nafija Naza Rabija Refija Sabaheta Sadeta Sehija Subha
Vahida Zarfa Zijada Zilha Mira Nada Desanka Dušanka Dragica Stana Milka Nevenka Vera Zagorka
"""
BOSNIAN_M = """
Adnan Admir Alen Almir Amir Armin Damir Dario Dejan Dragan Dražen Edin Emir Emin Enes Ernad
Fikret Goran Haris Hasan Ibrahim Ismet Jasmin Kemal Mehmed Milan Mirza Muhamed Nedžad Nermin
Nihad Osman Refik Safet Sead Senad Suad Zlatan Zoran Husein Mustafa Mujo Ramiz Sejo Sulejman
Vlado Zdravko Željko Branko Dušan Nenad Predrag Slobodan Srđan Vojislav Miroslav Ratko
Petar Stevo Dusan Zeljko Srdjan Nedzad Asim Avdo Bajro Besim Džemal Esad Fadil Hamdija
Hamid Hasib Huso Ibro Idriz Izet Jusuf Kasim Mehmedalija Meho Muharem Mumin Munir Mustafa
Nezir Omer Rasim Redžo Salko Salih Šaban Sabit Šemso Smail Suljo Tahir Zijad Zuhdija Jovan
Milorad Radovan Dragoljub Momčilo Živko Ljubomir Stojan Mile Rade Boško Mirko Ilija
"""
BOSNIAN_S = """
Hodžić Begić Hadžić Delić Kovačević Hasanović Mehmedović Alić Husić Omerović Suljić
Ibrahimović Mujić Halilović Jusić Salihović Karić Mešić Avdić Bešić Čolić Hrustić Imamović
Ramić Sejdić Zukić Petrović Jovanović Nikolić Marković Đorđević Stojanović Ilić Stanković
Pavlović Milošević Popović Mitrović Savić Lazić Kostić Horvat Babić Marić Jurić Knežević
Vuković Blažević Perić Tomić Pavić Radić Bošnjak Hodzic Begic Hadzic Delic Kovacevic
Hasanovic Mehmedovic Alic Husic Omerovic Suljic Ibrahimovic Mujic Halilovic Jusic Salihovic
Karic Mesic Avdic Besic Colic Hrustic Imamovic Ramic Sejdic Zukic Petrovic Jovanovic Nikolic
Markovic Djordjevic Stojanovic Ilic Stankovic Pavlovic Milosevic Popovic Mitrovic Savic Lazic
Kostic Babic Maric Juric Knezevic Vukovic Blazevic Peric Tomic Pavic Radic Softić Softic
Kadić Kadic Muratović Muratovic Selimović Selimovic Dedić Dedic Mahmutović Mahmutovic
Ahmetović Ahmetovic Hamzić Hamzic Mehić Mehic Smajić Smajic Bajrić Bajric Huskić Huskic
"""
ARABIC_F = """
Fatima Aisha Amina Mariam Maryam Zainab Zeinab Layla Leila Nour Rana Hala Huda Iman Jamila
Khadija Lina Mona Nadia Noor Rasha Reem Rima Salma Samira Sara Yasmin Zahra Hanan Dalia Ghada
Lubna Maha Manal Najwa Nisreen Rania Sawsan Suha Widad Wafaa Amal Asma Bushra Dina Fadia Hiba
Inas Lamia Nawal Sahar Souad Aya Hind Nada Rawan Rola Samar Shaimaa Wafa Yara Zaina Zeina
Naima Najat Karima Latifa Malika Rachida Habiba Hafsa Halima Khalida Hayat Fadwa Ibtisam
"""
ARABIC_M = """
Mohammed Mohamed Muhammad Mohammad Ahmed Ahmad Ali Hassan Hussein Hussain Omar Khaled Khalid
Mahmoud Mustafa Ibrahim Youssef Yusuf Yousef Abdullah Abdulrahman Karim Samir Nabil Walid
Tarek Tariq Jamal Rami Bilal Hamza Amir Adnan Ayman Fadi Firas Haidar Kamal Majid Nasser Osama
Riyad Saad Salah Sami Zaid Ziad Anas Ammar Bashir Fawzi Ghassan Hadi Hani Imad Issa Jamil
Khalil Louay Maher Marwan Mazen Munir Nizar Qasim Rashid Said Salim Sharif Wael Yasser Yassin
Zakaria Abdel Abdelkader Abdulla Hamid Hashem Hicham Karam Mahdi Moustafa Nidal Raed Safwan
"""
ARABIC_S = """
Al-Ali Haddad Khalil Saleh Hamdan Mansour Nasser Abbas Yousef Ibrahim Hussein Hassan Mahmoud
Omar Aziz Karim Rahman Salem Shaker Darwish Awad Jaber Khoury Issa Najjar Sabbagh Habib
Hamoud Kassem Mustafa Othman Qasim Rashid Suleiman Taha Zaki Zayed Al-Hassan Al-Khatib
Khatib Abdallah Abdulla Al-Sayed Sayed Hamad Hammoud Jabbar Kadhim Kazim Mohsen Saeed
Salman Shammari Al-Shammari Obeid Rizk Sabri Shehadeh Yassin Zein Haidari
"""
SOMALI_F = """
Amina Asha Deeqa Faadumo Fadumo Halima Hodan Hibo Ifrah Ikran Khadra Ladan Maryan Muna Nasra
Sagal Sahra Shukri Ubah Hawa Hamdi Ayan Filsan Sucaad Safiya Nimco Ruqiya Zamzam Idil Najma
Anisa Caasha Cawo Faiza Farhia Hinda Hodo Istar Kaltun Layla Luul Marwo Nafiso Qamar Saado
Sahro Samsam Saynab Suad Sumaya Ugbaad Xaawo Yasmin Fartun Habiba Nuura Rahma Asli
"""
SOMALI_M = """
Abdi Abdirahman Abdullahi Aden Adan Bashir Farah Ismail Jama Liban Mahad Mohamud Mukhtar Nur
Osman Abdiaziz Abdiqani Abdikarim Abdiwali Guled Abdirizak Abdisalam Abdinasir Abdifatah
Awil Bile Dahir Dayib Elmi Faisal Hamse Hersi Hirsi Ilyas Jibril Khalif Mahamed Mowlid Muse
Nuur Sharmarke Shire Siyad Warsame Yasin Yonis Yusuf Zakariye Abukar Cabdi Cali Maxamed
Xasan Xuseen Ibraahim Axmed
"""
SOMALI_S = """
Warsame Abdi Ahmed Ali Farah Hassan Jama Mohamed Mohamud Omar Osman Yusuf Aden Egal Guled
Hersi Ismail Nur Samatar Dahir Elmi Gedi Hirsi Duale Abdullahi Shire Yasin Barre Adan Haji
Ibrahim Mire Abdille Awale Bile Diriye Dualeh Fiqi Galaal Hashi Hussein Jibril Kahin Magan
Mohamud Muse Noor Qalinle Roble Salad Sheikh Warfa Yusuf Isse Gure Jimale Abdirahman
"""
PERSIAN_F = """
Azadeh Fereshteh Golnar Laleh Leila Mahnaz Maryam Mina Nasrin Parisa Parvin Roya Sara Shirin
Soheila Simin Taraneh Zohreh Farah Fatemeh Goli Mitra Neda Nazanin Negar Pari Shahla Soraya
Tahereh Zahra Yasaman Afsaneh Anahita Arezoo Atefeh Banafsheh Elham Fariba Farideh Golnaz
Haleh Homa Leyla Mahin Mahsa Marjan Mehri Mojgan Nahid Nasim Niloufar Pouran Roshanak
Sepideh Shabnam Shadi Shahrzad Sima Tahmineh Touran Zari Zhila Behnaz Farzaneh Maliheh
"""
PERSIAN_M = """
Reza Hossein Mehdi Hamid Behrouz Dariush Farhad Farid Kamran Kaveh Kourosh Majid Masoud
Mehran Mohsen Morteza Nader Omid Parviz Payam Peyman Ramin Saeed Shahram Siamak Vahid Ahmad
Alireza Amin Arash Babak Bahman Bijan Davoud Ebrahim Ehsan Fereydoun Ghasem Hadi Hassan
Houshang Iraj Jafar Javad Karim Khosrow Manouchehr Mansour Mostafa Navid Nima Pejman
Rahim Rostam Saman Sina Sohrab Vahid Yousef Abbas Akbar Asghar Gholam Hooman Jamshid
"""
PERSIAN_S = """
Ahmadi Akbari Alavi Amini Bagheri Ebrahimi Hosseini Jafari Karimi Kazemi Mohammadi Moradi
Mousavi Rahimi Rezaei Sadeghi Salehi Shahbazi Tehrani Yazdani Zamani Rostami Sharifi Hashemi
Ghorbani Nazari Heidari Asadi Farahani Navabi Abbasi Azizi Ghasemi Habibi Jalali Kamali
Khalili Mirzaei Najafi Nouri Rahmani Rashidi Sadeghi Safari Soltani Taheri Vahidi Zand
Esfahani Shirazi Kermani Tabrizi Daneshvar Golestani Hosseinzadeh Alizadeh Hassanzadeh
"""
KURDISH_F = """
Jiyan Berivan Gulistan Dilan Hana Shilan Zilan Rojin Nazdar Avin Chiman Dilnaz Evin Kajal
Bahar Rojda Perwin Ronak Sozan Hêvî Hevi Xezal Gulnar Narin Nesrin Rezan Shirin Şirin Viyan
Zozan Delal Dilvin Helin Lana Nalin Rewsen Sevê Zerya Bêrîvan Gulê Hawin Kurdistan Nigar
"""
KURDISH_M = """
Azad Aram Dilshad Hiwa Karwan Kawa Rebwar Rizgar Shwan Soran Zana Diyar Baran Sherzad Serwan
Hawre Bakhtiyar Dara Goran Hemin Hogir Ahmed Ako Ari Bahoz Botan Brusk Dildar Haval Heval
Jwan Kamaran Kardo Keyvan Mehdi Nechirvan Rawand Rebin Rezgar Rojhat Sarbast Shaho Shoresh
Welat Zagros Zirak Dilovan Hejar Şivan Sivan Xebat Berzan Rênas Renas
"""
KURDISH_S = """
Kurdi Hawrami Baban Jaf Qadir Rasul Faraj Hama Omer Zebari Mahmud Amin Tahir Saleh Salih
Hamad Karim Hassan Sharif Rashid Aziz Barzinji Talabani Hawleri Sulaimani Mirani Doski
"""
TURKISH_S = """
Yılmaz Yilmaz Kaya Demir Şahin Sahin Çelik Celik Yıldız Yildiz Yıldırım Yildirim Öztürk
Ozturk Aydın Aydin Özdemir Ozdemir Arslan Doğan Dogan Kılıç Kilic Aslan Çetin Cetin Kara Koç
Koc Kurt Özkan Ozkan Şimşek Simsek Polat Erdoğan Erdogan Güneş Gunes Aksoy Korkmaz Özer
"""
TIGRINYA = """
Yonas Tesfaye Haile Tekle Mehari Berhane Senait Tsega Mulu Saba Selam Ghebre Tesfay Mebrahtu
Kiflom Habtom Filmon Yemane Tsegay Medhanie Abrehet Azieb Letemariam Meron Rahel Ruta Winta
Ghebremedhin Woldemichael Tekeste Gebreyesus Haileselassie Negash Yohannes Gebre Mesfin
"""
LATIN_AMERICAN = """
Jorge Carlos Luis Juan José Jose Pedro Patricio Rodrigo Pablo Alejandro Cristian Sergio
Héctor Hector Ramón Ramon Raúl Raul Orlando Ximena Marcela Carolina Claudia Paola Gabriela
Ana Rosa Isabel Verónica Veronica Silvia Gloria Teresa Soledad Pilar Consuelo Fernández
Fernandez González Gonzalez Rodríguez Rodriguez Muñoz Munoz Rojas Díaz Diaz Pérez Perez
Soto Contreras Silva Martínez Martinez Sepúlveda Sepulveda Morales Araya Flores Espinoza
Valenzuela Castillo Tapia Reyes Gutiérrez Gutierrez Castro Pizarro Álvarez Alvarez Vásquez
Vasquez Sánchez Sanchez Fuentes Carrasco Cortés Cortes Herrera Núñez Nunez
"""
GREEK = """
Georgios Konstantinos Dimitrios Ioannis Nikolaos Christos Panagiotis Vasilios Athanasios
Maria Eleni Aikaterini Vasiliki Sofia Angeliki Dimitra Georgia Papadopoulos Papadopoulou
Pappas Georgiou Nikolaidis Dimitriou Konstantinou Ioannou Vlachos Karagiannis
"""
# All 290 Swedish municipalities (kommuner), by county.
MUNICIPALITIES = """
Botkyrka|Danderyd|Ekerö|Haninge|Huddinge|Järfälla|Lidingö|Nacka|Norrtälje|Nykvarn|Nynäshamn|
Salem|Sigtuna|Sollentuna|Solna|Stockholm|Sundbyberg|Södertälje|Tyresö|Täby|Upplands Väsby|
Upplands-Bro|Vallentuna|Vaxholm|Värmdö|Österåker|
Enköping|Heby|Håbo|Knivsta|Tierp|Uppsala|Älvkarleby|Östhammar|
Eskilstuna|Flen|Gnesta|Katrineholm|Nyköping|Oxelösund|Strängnäs|Trosa|Vingåker|
Boxholm|Finspång|Kinda|Linköping|Mjölby|Motala|Norrköping|Söderköping|Vadstena|Valdemarsvik|
Ydre|Åtvidaberg|Ödeshög|
Aneby|Eksjö|Gislaved|Gnosjö|Habo|Jönköping|Mullsjö|Nässjö|Sävsjö|Tranås|Vaggeryd|Vetlanda|
Värnamo|
Alvesta|Lessebo|Ljungby|Markaryd|Tingsryd|Uppvidinge|Växjö|Älmhult|
Borgholm|Emmaboda|Hultsfred|Högsby|Kalmar|Mönsterås|Mörbylånga|Nybro|Oskarshamn|Torsås|
Vimmerby|Västervik|
Gotland|
Karlshamn|Karlskrona|Olofström|Ronneby|Sölvesborg|
Bjuv|Bromölla|Burlöv|Båstad|Eslöv|Helsingborg|Hässleholm|Höganäs|Hörby|Höör|Klippan|
Kristianstad|Kävlinge|Landskrona|Lomma|Lund|Malmö|Osby|Perstorp|Simrishamn|Sjöbo|Skurup|
Staffanstorp|Svalöv|Svedala|Tomelilla|Trelleborg|Vellinge|Ystad|Åstorp|Ängelholm|Örkelljunga|
Östra Göinge|
Falkenberg|Halmstad|Hylte|Kungsbacka|Laholm|Varberg|
Ale|Alingsås|Bengtsfors|Bollebygd|Borås|Dals-Ed|Essunga|Falköping|Färgelanda|Grästorp|
Gullspång|Göteborg|Götene|Herrljunga|Hjo|Härryda|Karlsborg|Kungälv|Lerum|Lidköping|
Lilla Edet|Lysekil|Mariestad|Mark|Mellerud|Munkedal|Mölndal|Orust|Partille|Skara|Skövde|
Sotenäs|Stenungsund|Strömstad|Svenljunga|Tanum|Tibro|Tidaholm|Tjörn|Tranemo|Trollhättan|
Töreboda|Uddevalla|Ulricehamn|Vara|Vårgårda|Vänersborg|Åmål|Öckerö|
Arvika|Eda|Filipstad|Forshaga|Grums|Hagfors|Hammarö|Karlstad|Kil|Kristinehamn|Munkfors|
Storfors|Sunne|Säffle|Torsby|Årjäng|
Askersund|Degerfors|Hallsberg|Hällefors|Karlskoga|Kumla|Laxå|Lekeberg|Lindesberg|
Ljusnarsberg|Nora|Örebro|
Arboga|Fagersta|Hallstahammar|Kungsör|Köping|Norberg|Sala|Skinnskatteberg|Surahammar|Västerås|
Avesta|Borlänge|Falun|Gagnef|Hedemora|Leksand|Ludvika|Malung-Sälen|Mora|Orsa|Rättvik|
Smedjebacken|Säter|Vansbro|Älvdalen|
Bollnäs|Gävle|Hofors|Hudiksvall|Ljusdal|Nordanstig|Ockelbo|Ovanåker|Sandviken|Söderhamn|
Härnösand|Kramfors|Sollefteå|Sundsvall|Timrå|Ånge|Örnsköldsvik|
Berg|Bräcke|Härjedalen|Krokom|Ragunda|Strömsund|Åre|Östersund|
Bjurholm|Dorotea|Lycksele|Malå|Nordmaling|Norsjö|Robertsfors|Skellefteå|Sorsele|Storuman|
Umeå|Vilhelmina|Vindeln|Vännäs|Åsele|
Arjeplog|Arvidsjaur|Boden|Gällivare|Haparanda|Jokkmokk|Kalix|Kiruna|Luleå|Pajala|Piteå|
Älvsbyn|Överkalix|Övertorneå
"""
REGIONS = """
Region Stockholm|Region Uppsala|Region Sörmland|Region Östergötland|Region Jönköpings län|
Region Kronoberg|Region Kalmar län|Region Gotland|Region Blekinge|Region Skåne|Region Halland|
Västra Götalandsregionen|Region Värmland|Region Örebro län|Region Västmanland|Region Dalarna|
Region Gävleborg|Region Västernorrland|Region Jämtland Härjedalen|Region Västerbotten|
Region Norrbotten
"""
# Other places often named in minutes (towns that are not municipality seats, districts,
# counties, neighbouring countries' cities): never names of people on their own.
OTHER_PLACES = """
Visby|Gamla stan|Gammelstad|Kisa|Viken|Sälen|Malung|Kungälv|Sverige|Norge|Finland|Danmark|
Bosnien|Somalia|Iran|Irak|Syrien|Turkiet|Polen|Chile|Eritrea|Jugoslavien|Serbien|Kroatien|
Dalarna|Jämtland|Härjedalen|Norrbotten|Västerbotten|Gävleborg|Västernorrland|Värmland|
Västmanland|Sörmland|Södermanland|Östergötland|Småland|Skåne|Halland|Blekinge|Bohuslän|
Dalsland|Uppland|Hälsingland|Medelpad|Ångermanland|Lappland|Norrland|Svealand|Götaland|
Bergsjön|Angered|Rinkeby|Tensta|Rosengård|Vivalla|Gottsunda|Hässelby|Vällingby|Farsta|
Skärholmen|Kista|Bromma|Solberga|Majorna|Hisingen|Frölunda|Kortedala|Biskopsgården|
Lindesberg|Köpenhamn|Oslo|Helsingfors|Tammerfors|Åbo|Sarajevo|Mogadishu|Teheran|Bagdad
"""
