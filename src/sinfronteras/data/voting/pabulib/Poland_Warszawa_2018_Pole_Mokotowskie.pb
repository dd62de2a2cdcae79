META
key;value
description;Local PB in Warszawa, Ochota | Pole Mokotowskie
country;Poland
unit;Warszawa
district;Ochota
subunit;Pole Mokotowskie
instance;2018
num_projects;1
num_votes;8
budget;21064
vote_type;approval
rule;greedy-threshold
date_begin;14.06.2017
date_end;30.06.2017
min_length;1
max_sum_cost;21064
min_project_score_threshold;1
edition;4
language;pl
currency;PLN
fully_funded;1
comment;#1: In Warszawa 2018, a project was eligible for implementation only if it received at least 10% of all valid votes cast in the given district or subarea. Therefore, the min_project_score_threshold is file-specific.
PROJECTS
project_id;cost;votes;name;category;beneficiaries;selected
658;21064;8;Dobre grzyby (mikoryza) dla drzew Pola Mokotowskiego;environmental protection,public space,urban greenery;seniors,families with children,animals;1
VOTES
voter_id;vote;age;sex;voting_method
30397;658;43;F;internet
39076;658;61;F;paper
56422;658;66;M;internet
67344;658;32;F;internet
83776;658;73;F;internet
89587;658;9;M;internet
95332;658;31;F;internet
102415;658;24;F;internet
