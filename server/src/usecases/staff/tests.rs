use super::*;
use crate::usecases::fakes::*;
use app::ports::{DoorControl, StaffAdmin, StaffAuth};

const PW: &str = "rideau-rouge-2026";

async fn account(w: &World, email: &str, role: &str, supervisor: bool) -> StaffMember {
    w.uc.staff
        .create_staff(
            &Actor::console(),
            &NewStaffRequest {
                email: email.into(),
                name: format!("Agent {email}"),
                role: role.into(),
                supervisor,
                password: Some(PW.into()),
            },
        )
        .await
        .unwrap()
        .staff
}

async fn logged_in(w: &World, email: &str) -> (String, Actor) {
    let opened = w.uc.staff.login(email, PW, None).await.unwrap();
    let actor =
        w.uc.staff
            .authenticate(&Credential::Session(opened.secret.clone()))
            .await
            .unwrap();
    (opened.secret, actor)
}

#[tokio::test]
async fn a_login_opens_a_session_that_names_its_staff_member() {
    let w = world();
    let admin = account(&w, "Admin@Ville.fr", "admin", true).await;
    assert_eq!(
        admin.email, "admin@ville.fr",
        "addresses are kept in lower case"
    );
    let opened =
        w.uc.staff
            .login(" ADMIN@ville.fr ", PW, None)
            .await
            .unwrap();
    assert_eq!(opened.staff, admin);
    assert_eq!(opened.max_age, 12 * 3600);
    let actor =
        w.uc.staff
            .authenticate(&Credential::Session(opened.secret.clone()))
            .await
            .unwrap();
    assert_eq!(actor.staff.as_ref(), Some(&admin));
    assert_eq!(actor.via, Via::Session);
    w.uc.staff.logout(&opened.secret).await.unwrap();
    assert_eq!(
        w.uc.staff
            .authenticate(&Credential::Session(opened.secret))
            .await,
        Err(AuthError::NotAuthenticated)
    );
    let audit = w.uc.staff.audit(&Actor::console(), None, 10).await.unwrap();
    assert_eq!(audit[0].action, "auth.login");
    assert_eq!(audit[1].action, "staff.create");
    assert_eq!(audit[1].actor, "console");
}

#[tokio::test]
async fn wrong_password_unknown_address_and_disabled_account_get_one_answer() {
    let w = world();
    let agent = account(&w, "guichet@ville.fr", "box_office", false).await;
    let wrong =
        w.uc.staff
            .login("guichet@ville.fr", "pas-le-bon-mot", None)
            .await;
    let unknown = w.uc.staff.login("personne@ville.fr", PW, None).await;
    w.uc.staff
        .change_staff(
            &Actor::console(),
            agent.id,
            &StaffChange {
                disabled: Some(true),
                ..StaffChange::default()
            },
        )
        .await
        .unwrap();
    let disabled = w.uc.staff.login("guichet@ville.fr", PW, None).await;
    for answer in [wrong, unknown, disabled] {
        assert_eq!(answer, Err(AuthError::InvalidCredentials));
    }
}

#[tokio::test]
async fn five_failures_lock_an_address_for_a_while_known_or_not() {
    let w = world();
    account(&w, "caisse@ville.fr", "box_office", false).await;
    for email in ["caisse@ville.fr", "inconnu@ville.fr"] {
        for _ in 0..5 {
            assert_eq!(
                w.uc.staff.login(email, "mauvais-mot-de-passe", None).await,
                Err(AuthError::InvalidCredentials)
            );
            w.clock.advance(10);
        }
        // Even the right password waits: the throttle does not tell which was right.
        let Err(AuthError::TooManyAttempts(wait)) = w.uc.staff.login(email, PW, None).await else {
            panic!("the sixth attempt must be refused");
        };
        assert!(wait > 800 && wait <= 900, "{wait}");
    }
    // Another address is not affected; the locked one opens once its failures age out.
    account(&w, "autre@ville.fr", "door", false).await;
    assert!(w.uc.staff.login("autre@ville.fr", PW, None).await.is_ok());
    w.clock.advance(15 * 60);
    assert!(w.uc.staff.login("caisse@ville.fr", PW, None).await.is_ok());
    // Failures that aged out are pruned by the next failure recorded.
    assert_eq!(
        w.staff.stored_failures(),
        10,
        "aged, kept until the next failure"
    );
    let _ =
        w.uc.staff
            .login("autre@ville.fr", "faux-mot-de-passe", None)
            .await;
    assert_eq!(
        w.staff.stored_failures(),
        1,
        "only the fresh failure is kept"
    );
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_absolute_timeout() {
    let w = world();
    account(&w, "admin@ville.fr", "admin", false).await;
    let (idle, _) = logged_in(&w, "admin@ville.fr").await;
    let (busy, _) = logged_in(&w, "admin@ville.fr").await;
    // The busy session is used every hour; the idle one not for two hours.
    for _ in 0..2 {
        w.clock.advance(3600 - 1);
        assert!(w
            .uc
            .staff
            .authenticate(&Credential::Session(busy.clone()))
            .await
            .is_ok());
    }
    w.clock.advance(2);
    assert_eq!(
        w.uc.staff.authenticate(&Credential::Session(idle)).await,
        Err(AuthError::NotAuthenticated)
    );
    for _ in 0..10 {
        w.clock.advance(3600);
        let _ =
            w.uc.staff
                .authenticate(&Credential::Session(busy.clone()))
                .await;
    }
    assert_eq!(
        w.uc.staff.authenticate(&Credential::Session(busy)).await,
        Err(AuthError::NotAuthenticated),
        "12 hours after the login, even a busy session ends"
    );
}

#[tokio::test]
async fn a_login_ends_the_session_the_browser_had() {
    let w = world();
    account(&w, "admin@ville.fr", "admin", false).await;
    let (old, _) = logged_in(&w, "admin@ville.fr").await;
    let new =
        w.uc.staff
            .login("admin@ville.fr", PW, Some(&old))
            .await
            .unwrap();
    assert_ne!(new.secret, old);
    assert!(w
        .uc
        .staff
        .authenticate(&Credential::Session(old))
        .await
        .is_err());
    assert!(w
        .uc
        .staff
        .authenticate(&Credential::Session(new.secret))
        .await
        .is_ok());
}

#[tokio::test]
async fn changing_ones_password_logs_out_everywhere_else() {
    let w = world();
    let me = account(&w, "admin@ville.fr", "admin", false).await;
    let (phone, _) = logged_in(&w, "admin@ville.fr").await;
    let (desk, actor) = logged_in(&w, "admin@ville.fr").await;
    let wrong = PasswordChange {
        current: "pas-le-bon".into(),
        new: "un-autre-mot-de-passe".into(),
    };
    assert_eq!(
        w.uc.staff.change_password(&actor, &wrong).await,
        Err(StaffError::WrongPassword)
    );
    let weak = PasswordChange {
        current: PW.into(),
        new: "court".into(),
    };
    assert!(matches!(
        w.uc.staff.change_password(&actor, &weak).await,
        Err(StaffError::WeakPassword(_))
    ));
    let change = PasswordChange {
        current: PW.into(),
        new: "un-autre-mot-de-passe".into(),
    };
    let opened = w.uc.staff.change_password(&actor, &change).await.unwrap();
    for old in [phone, desk] {
        assert!(w
            .uc
            .staff
            .authenticate(&Credential::Session(old))
            .await
            .is_err());
    }
    assert!(w
        .uc
        .staff
        .authenticate(&Credential::Session(opened.secret))
        .await
        .is_ok());
    assert_eq!(w.staff.sessions_of(me.id), 1);
    assert!(w.uc.staff.login("admin@ville.fr", PW, None).await.is_err());
    assert!(w
        .uc
        .staff
        .login("admin@ville.fr", "un-autre-mot-de-passe", None)
        .await
        .is_ok());
}

#[tokio::test]
async fn only_admins_manage_staff() {
    let w = world();
    account(&w, "admin@ville.fr", "admin", false).await;
    account(&w, "caisse@ville.fr", "box_office", true).await;
    account(&w, "porte@ville.fr", "door", false).await;
    let new = NewStaffRequest {
        email: "nouveau@ville.fr".into(),
        name: "Nouveau".into(),
        role: "door".into(),
        supervisor: false,
        password: None,
    };
    for email in ["caisse@ville.fr", "porte@ville.fr"] {
        let (_, actor) = logged_in(&w, email).await;
        assert_eq!(w.uc.staff.staff(&actor).await, Err(StaffError::Forbidden));
        assert_eq!(
            w.uc.staff.create_staff(&actor, &new).await,
            Err(StaffError::Forbidden)
        );
        assert_eq!(w.uc.staff.tokens(&actor).await, Err(StaffError::Forbidden));
        assert_eq!(
            w.uc.staff.audit(&actor, None, 10).await,
            Err(StaffError::Forbidden)
        );
    }
    let (_, admin) = logged_in(&w, "admin@ville.fr").await;
    let created = w.uc.staff.create_staff(&admin, &new).await.unwrap();
    let generated = created
        .generated_password
        .expect("a generated password, shown once");
    assert!(w
        .uc
        .staff
        .login("nouveau@ville.fr", &generated, None)
        .await
        .is_ok());
    assert_eq!(w.uc.staff.staff(&admin).await.unwrap().len(), 4);
    assert_eq!(
        w.uc.staff.create_staff(&admin, &new).await,
        Err(StaffError::EmailTaken)
    );
}

#[tokio::test]
async fn accounts_are_parsed_before_anything_is_stored() {
    let w = world();
    let console = Actor::console();
    let base = NewStaffRequest {
        email: "a@ville.fr".into(),
        name: "A".into(),
        role: "admin".into(),
        supervisor: false,
        password: Some(PW.into()),
    };
    let cases = [
        (
            NewStaffRequest {
                email: "pas une adresse".into(),
                ..base.clone()
            },
            "InvalidEmail",
        ),
        (
            NewStaffRequest {
                name: "  ".into(),
                ..base.clone()
            },
            "InvalidName",
        ),
        (
            NewStaffRequest {
                role: "root".into(),
                ..base.clone()
            },
            "UnknownRole",
        ),
        (
            NewStaffRequest {
                password: Some("court".into()),
                ..base.clone()
            },
            "WeakPassword",
        ),
    ];
    for (request, expected) in cases {
        let err =
            w.uc.staff
                .create_staff(&console, &request)
                .await
                .unwrap_err();
        assert!(format!("{err:?}").starts_with(expected), "{err:?}");
    }
    assert!(w.uc.staff.staff(&console).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_last_active_admin_stays() {
    let w = world();
    let admin = account(&w, "admin@ville.fr", "admin", false).await;
    let console = Actor::console();
    for change in [
        StaffChange {
            disabled: Some(true),
            ..StaffChange::default()
        },
        StaffChange {
            role: Some("door".into()),
            ..StaffChange::default()
        },
    ] {
        assert_eq!(
            w.uc.staff.change_staff(&console, admin.id, &change).await,
            Err(StaffError::LastAdmin)
        );
    }
    let second = account(&w, "admin2@ville.fr", "admin", false).await;
    let demoted =
        w.uc.staff
            .change_staff(
                &console,
                admin.id,
                &StaffChange {
                    role: Some("box_office".into()),
                    supervisor: Some(true),
                    ..StaffChange::default()
                },
            )
            .await
            .unwrap();
    assert_eq!((demoted.role, demoted.supervisor), (Role::BoxOffice, true));
    assert_eq!(
        w.uc.staff
            .change_staff(
                &console,
                second.id,
                &StaffChange {
                    disabled: Some(true),
                    ..StaffChange::default()
                }
            )
            .await,
        Err(StaffError::LastAdmin)
    );
    let entry = &w.uc.staff.audit(&console, None, 1).await.unwrap()[0];
    assert_eq!(entry.action, "staff.update");
    assert_eq!(entry.subject, "admin@ville.fr");
    assert_eq!(entry.detail["before"]["role"], "admin");
    assert_eq!(entry.detail["after"]["role"], "box_office");
}

#[tokio::test]
async fn disabling_or_resetting_an_account_ends_its_sessions_and_changes_apply_at_once() {
    let w = world();
    account(&w, "admin@ville.fr", "admin", false).await;
    let agent = account(&w, "caisse@ville.fr", "box_office", false).await;
    let (session, _) = logged_in(&w, "caisse@ville.fr").await;
    let console = Actor::console();
    // A role change is seen by the next request of the open session.
    w.uc.staff
        .change_staff(
            &console,
            agent.id,
            &StaffChange {
                role: Some("door".into()),
                ..StaffChange::default()
            },
        )
        .await
        .unwrap();
    let actor =
        w.uc.staff
            .authenticate(&Credential::Session(session.clone()))
            .await
            .unwrap();
    assert_eq!(actor.role(), Role::Door);
    let reset =
        w.uc.staff
            .reset_password(&console, agent.id, &PasswordReset::default())
            .await
            .unwrap();
    assert!(w
        .uc
        .staff
        .authenticate(&Credential::Session(session))
        .await
        .is_err());
    let new_password = reset.generated_password.unwrap();
    let opened =
        w.uc.staff
            .login("caisse@ville.fr", &new_password, None)
            .await
            .unwrap();
    w.uc.staff
        .change_staff(
            &console,
            agent.id,
            &StaffChange {
                disabled: Some(true),
                ..StaffChange::default()
            },
        )
        .await
        .unwrap();
    assert!(w
        .uc
        .staff
        .authenticate(&Credential::Session(opened.secret))
        .await
        .is_err());
    let audit = w.uc.staff.audit(&console, None, 50).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "staff.password_reset"));
    assert!(
        audit
            .iter()
            .all(|a| !a.detail.to_string().contains(&new_password)),
        "no password in the audit log"
    );
}

#[tokio::test]
async fn api_tokens_act_as_their_account_until_revoked() {
    let w = world();
    account(&w, "admin@ville.fr", "admin", false).await;
    let importer = account(&w, "import@ville.fr", "admin", false).await;
    let console = Actor::console();
    let created =
        w.uc.staff
            .create_token(
                &console,
                &NewApiTokenRequest {
                    staff_id: importer.id,
                    name: "Import de la saison".into(),
                },
            )
            .await
            .unwrap();
    assert!(created.token.starts_with("gst_"));
    let credential = Credential::ApiToken(created.token.clone());
    let actor = w.uc.staff.authenticate(&credential).await.unwrap();
    assert_eq!(actor.staff_id(), Some(importer.id));
    assert_eq!(actor.via, Via::ApiToken(created.info.id));
    let listed = w.uc.staff.tokens(&console).await.unwrap();
    assert_eq!(listed[0].last_used_at, Some(Ts(NOW)));
    assert!(
        !format!("{listed:?}").contains(&created.token),
        "the token is shown once"
    );
    // A token cannot change its account's password.
    let change = PasswordChange {
        current: PW.into(),
        new: "nouveau-mot-de-passe".into(),
    };
    assert_eq!(
        w.uc.staff.change_password(&actor, &change).await,
        Err(StaffError::Forbidden)
    );
    w.uc.staff
        .revoke_token(&console, created.info.id)
        .await
        .unwrap();
    assert_eq!(
        w.uc.staff.authenticate(&credential).await,
        Err(AuthError::NotAuthenticated)
    );
    assert_eq!(
        w.uc.staff.revoke_token(&console, created.info.id).await,
        Err(StaffError::TokenNotFound)
    );
    // A token of a disabled account stops working too.
    let other =
        w.uc.staff
            .create_token(
                &console,
                &NewApiTokenRequest {
                    staff_id: importer.id,
                    name: "Autre".into(),
                },
            )
            .await
            .unwrap();
    w.uc.staff
        .change_staff(
            &console,
            importer.id,
            &StaffChange {
                disabled: Some(true),
                ..StaffChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        w.uc.staff
            .authenticate(&Credential::ApiToken(other.token))
            .await,
        Err(AuthError::NotAuthenticated)
    );
    assert_eq!(
        w.uc.staff
            .authenticate(&Credential::ApiToken("gst_inconnu".into()))
            .await,
        Err(AuthError::NotAuthenticated)
    );
}

#[tokio::test]
async fn door_staff_open_a_door_access_for_chosen_performances() {
    let w = world();
    let (perf, _) = venue(&w, Spec::default()).await;
    account(&w, "porte@ville.fr", "door", true).await;
    account(&w, "caisse@ville.fr", "box_office", false).await;
    let request = DoorAccessRequest {
        performance_ids: vec![perf],
        hours: None,
    };
    let (_, caisse) = logged_in(&w, "caisse@ville.fr").await;
    assert_eq!(
        w.uc.door.open_door(&caisse, &request).await.map(|_| ()),
        Err(app::ports::DoorError::RoleForbidden)
    );
    let (_, door) = logged_in(&w, "porte@ville.fr").await;
    let granted = w.uc.door.open_door(&door, &request).await.unwrap();
    assert!(
        granted.access.supervisor,
        "the staff member's supervisor flag"
    );
    assert_eq!(granted.access.label, "Agent porte@ville.fr");
    assert_eq!(granted.access.expires_at, Ts(NOW + 6 * 3600));
    assert_eq!(
        w.uc.door
            .access(&granted.token)
            .await
            .unwrap()
            .performances
            .len(),
        1
    );
    let missing = DoorAccessRequest {
        performance_ids: vec![perf + 1000],
        hours: None,
    };
    assert!(w.uc.door.open_door(&door, &missing).await.is_err());
    let entry = &w.uc.staff.audit(&Actor::console(), None, 1).await.unwrap()[0];
    assert_eq!(entry.action, "door.open");
    assert_eq!(entry.actor, "Agent porte@ville.fr <porte@ville.fr>");
}
