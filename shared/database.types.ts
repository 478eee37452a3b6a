export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
    Tables: {
      audit_log: {
        Row: {
          action: string
          actor_id: string | null
          campaign_id: string | null
          created_at: string
          details: NonNullable<Json>
          entity: string
          entity_id: string
          id: number
        }
        Insert: {
          action: string
          actor_id?: string | null
          campaign_id?: string | null
          created_at?: string
          details?: NonNullable<Json>
          entity: string
          entity_id: string
          id?: never
        }
        Update: {
          action?: string
          actor_id?: string | null
          campaign_id?: string | null
          created_at?: string
          details?: NonNullable<Json>
          entity?: string
          entity_id?: string
          id?: never
        }
        Relationships: []
      }
      campaign_collaborators: {
        Row: {
          campaign_id: string
          created_at: string
          role: Database["public"]["Enums"]["collaborator_role"]
          updated_at: string
          user_id: string
        }
        Insert: {
          campaign_id: string
          created_at?: string
          role?: Database["public"]["Enums"]["collaborator_role"]
          updated_at?: string
          user_id: string
        }
        Update: {
          campaign_id?: string
          created_at?: string
          role?: Database["public"]["Enums"]["collaborator_role"]
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "campaign_collaborators_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "campaign_collaborators_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "hiring_managers"
            referencedColumns: ["id"]
          },
        ]
      }
      campaigns: {
        Row: {
          answer_time_seconds: number
          created_at: string
          description: string
          end_date: string
          id: string
          max_takes: number
          max_video_bytes: number
          notify_on_completion: boolean
          organization_id: string
          owner_id: string
          privacy_contact: string | null
          privacy_notice: string | null
          privacy_notice_updated_at: string
          privacy_notice_version: number
          retention_days: number
          review_digest: boolean
          start_date: string
          status: Database["public"]["Enums"]["campaign_status"]
          think_time_seconds: number
          title: string
          updated_at: string
        }
        Insert: {
          answer_time_seconds?: number
          created_at?: string
          description?: string
          end_date: string
          id?: string
          max_takes?: number
          max_video_bytes?: number
          notify_on_completion?: boolean
          organization_id?: string
          owner_id?: string
          privacy_contact?: string | null
          privacy_notice?: string | null
          privacy_notice_updated_at?: string
          privacy_notice_version?: number
          retention_days?: number
          review_digest?: boolean
          start_date: string
          status?: Database["public"]["Enums"]["campaign_status"]
          think_time_seconds?: number
          title: string
          updated_at?: string
        }
        Update: {
          answer_time_seconds?: number
          created_at?: string
          description?: string
          end_date?: string
          id?: string
          max_takes?: number
          max_video_bytes?: number
          notify_on_completion?: boolean
          organization_id?: string
          owner_id?: string
          privacy_contact?: string | null
          privacy_notice?: string | null
          privacy_notice_updated_at?: string
          privacy_notice_version?: number
          retention_days?: number
          review_digest?: boolean
          start_date?: string
          status?: Database["public"]["Enums"]["campaign_status"]
          think_time_seconds?: number
          title?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "campaigns_organization_id_fkey"
            columns: ["organization_id"]
            isOneToOne: false
            referencedRelation: "organizations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "campaigns_owner_id_fkey"
            columns: ["owner_id"]
            isOneToOne: false
            referencedRelation: "hiring_managers"
            referencedColumns: ["id"]
          },
        ]
      }
      candidates: {
        Row: {
          created_at: string
          email: string
          first_name: string
          id: string
          last_name: string
          linkedin_url: string | null
          phone: string | null
          updated_at: string
          user_id: string | null
        }
        Insert: {
          created_at?: string
          email: string
          first_name?: string
          id?: string
          last_name?: string
          linkedin_url?: string | null
          phone?: string | null
          updated_at?: string
          user_id?: string | null
        }
        Update: {
          created_at?: string
          email?: string
          first_name?: string
          id?: string
          last_name?: string
          linkedin_url?: string | null
          phone?: string | null
          updated_at?: string
          user_id?: string | null
        }
        Relationships: []
      }
      evaluations: {
        Row: {
          campaign_id: string
          comment: string
          created_at: string
          id: string
          response_id: string
          reviewer_id: string
          score: number
          session_id: string
          updated_at: string
        }
        Insert: {
          campaign_id: string
          comment?: string
          created_at?: string
          id?: string
          response_id: string
          reviewer_id?: string
          score: number
          session_id: string
          updated_at?: string
        }
        Update: {
          campaign_id?: string
          comment?: string
          created_at?: string
          id?: string
          response_id?: string
          reviewer_id?: string
          score?: number
          session_id?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "evaluations_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "evaluations_response_id_fkey"
            columns: ["response_id"]
            isOneToOne: false
            referencedRelation: "video_responses"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "evaluations_reviewer_id_fkey"
            columns: ["reviewer_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "evaluations_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "interview_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      hiring_managers: {
        Row: {
          company: string
          created_at: string
          department: string
          id: string
          phone: string | null
          updated_at: string
        }
        Insert: {
          company?: string
          created_at?: string
          department?: string
          id: string
          phone?: string | null
          updated_at?: string
        }
        Update: {
          company?: string
          created_at?: string
          department?: string
          id?: string
          phone?: string | null
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "hiring_managers_id_fkey"
            columns: ["id"]
            isOneToOne: true
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      interview_sessions: {
        Row: {
          campaign_id: string
          candidate_id: string
          candidate_user_id: string | null
          completed_at: string | null
          created_at: string
          deadline: string
          email_attempts: number
          email_sent_at: string | null
          email_status: string | null
          expired_at: string | null
          id: string
          invited_at: string
          invited_by: string | null
          invited_email: string | null
          invited_first_name: string
          invited_last_name: string
          invited_linkedin_url: string | null
          invited_phone: string | null
          privacy_notice_accepted_at: string | null
          privacy_notice_version_accepted: number | null
          receipt_sent_at: string | null
          reminder_sent_at: string | null
          started_at: string | null
          status: Database["public"]["Enums"]["session_status"]
          time_zone: string | null
          updated_at: string
          withdrawn_at: string | null
        }
        Insert: {
          campaign_id: string
          candidate_id: string
          candidate_user_id?: string | null
          completed_at?: string | null
          created_at?: string
          deadline: string
          email_attempts?: number
          email_sent_at?: string | null
          email_status?: string | null
          expired_at?: string | null
          id?: string
          invited_at?: string
          invited_by?: string | null
          invited_email?: string | null
          invited_first_name?: string
          invited_last_name?: string
          invited_linkedin_url?: string | null
          invited_phone?: string | null
          privacy_notice_accepted_at?: string | null
          privacy_notice_version_accepted?: number | null
          receipt_sent_at?: string | null
          reminder_sent_at?: string | null
          started_at?: string | null
          status?: Database["public"]["Enums"]["session_status"]
          time_zone?: string | null
          updated_at?: string
          withdrawn_at?: string | null
        }
        Update: {
          campaign_id?: string
          candidate_id?: string
          candidate_user_id?: string | null
          completed_at?: string | null
          created_at?: string
          deadline?: string
          email_attempts?: number
          email_sent_at?: string | null
          email_status?: string | null
          expired_at?: string | null
          id?: string
          invited_at?: string
          invited_by?: string | null
          invited_email?: string | null
          invited_first_name?: string
          invited_last_name?: string
          invited_linkedin_url?: string | null
          invited_phone?: string | null
          privacy_notice_accepted_at?: string | null
          privacy_notice_version_accepted?: number | null
          receipt_sent_at?: string | null
          reminder_sent_at?: string | null
          started_at?: string | null
          status?: Database["public"]["Enums"]["session_status"]
          time_zone?: string | null
          updated_at?: string
          withdrawn_at?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "interview_sessions_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "interview_sessions_candidate_id_fkey"
            columns: ["candidate_id"]
            isOneToOne: false
            referencedRelation: "candidates"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "interview_sessions_invited_by_fkey"
            columns: ["invited_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      organization_invitations: {
        Row: {
          accepted_at: string | null
          accepted_by: string | null
          created_at: string
          email: string
          email_status: string | null
          expires_at: string
          id: string
          invited_by: string | null
          organization_id: string
          role: Database["public"]["Enums"]["organization_role"]
          updated_at: string
        }
        Insert: {
          accepted_at?: string | null
          accepted_by?: string | null
          created_at?: string
          email: string
          email_status?: string | null
          expires_at?: string
          id?: string
          invited_by?: string | null
          organization_id: string
          role?: Database["public"]["Enums"]["organization_role"]
          updated_at?: string
        }
        Update: {
          accepted_at?: string | null
          accepted_by?: string | null
          created_at?: string
          email?: string
          email_status?: string | null
          expires_at?: string
          id?: string
          invited_by?: string | null
          organization_id?: string
          role?: Database["public"]["Enums"]["organization_role"]
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "organization_invitations_accepted_by_fkey"
            columns: ["accepted_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "organization_invitations_invited_by_fkey"
            columns: ["invited_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "organization_invitations_organization_id_fkey"
            columns: ["organization_id"]
            isOneToOne: false
            referencedRelation: "organizations"
            referencedColumns: ["id"]
          },
        ]
      }
      organization_members: {
        Row: {
          created_at: string
          organization_id: string
          role: Database["public"]["Enums"]["organization_role"]
          updated_at: string
          user_id: string
        }
        Insert: {
          created_at?: string
          organization_id: string
          role?: Database["public"]["Enums"]["organization_role"]
          updated_at?: string
          user_id: string
        }
        Update: {
          created_at?: string
          organization_id?: string
          role?: Database["public"]["Enums"]["organization_role"]
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "organization_members_organization_id_fkey"
            columns: ["organization_id"]
            isOneToOne: false
            referencedRelation: "organizations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "organization_members_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "hiring_managers"
            referencedColumns: ["id"]
          },
        ]
      }
      organizations: {
        Row: {
          created_at: string
          id: string
          name: string
          time_zone: string
          updated_at: string
        }
        Insert: {
          created_at?: string
          id?: string
          name: string
          time_zone?: string
          updated_at?: string
        }
        Update: {
          created_at?: string
          id?: string
          name?: string
          time_zone?: string
          updated_at?: string
        }
        Relationships: []
      }
      profiles: {
        Row: {
          created_at: string
          email: string | null
          first_name: string
          id: string
          last_name: string
          role: Database["public"]["Enums"]["app_role"]
          updated_at: string
        }
        Insert: {
          created_at?: string
          email?: string | null
          first_name?: string
          id: string
          last_name?: string
          role: Database["public"]["Enums"]["app_role"]
          updated_at?: string
        }
        Update: {
          created_at?: string
          email?: string | null
          first_name?: string
          id?: string
          last_name?: string
          role?: Database["public"]["Enums"]["app_role"]
          updated_at?: string
        }
        Relationships: []
      }
      question_reveals: {
        Row: {
          answer_closes_at: string
          answer_opens_at: string
          campaign_id: string
          max_takes: number
          max_video_bytes: number
          question_id: string
          revealed_at: string
          session_id: string
        }
        Insert: {
          answer_closes_at: string
          answer_opens_at: string
          campaign_id: string
          max_takes: number
          max_video_bytes: number
          question_id: string
          revealed_at?: string
          session_id: string
        }
        Update: {
          answer_closes_at?: string
          answer_opens_at?: string
          campaign_id?: string
          max_takes?: number
          max_video_bytes?: number
          question_id?: string
          revealed_at?: string
          session_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "question_reveals_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "question_reveals_question_id_fkey"
            columns: ["question_id"]
            isOneToOne: false
            referencedRelation: "questions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "question_reveals_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "interview_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      questions: {
        Row: {
          answer_time_seconds: number
          campaign_id: string
          created_at: string
          id: string
          is_practice: boolean
          max_takes: number
          position: number
          prompt: string
          think_time_seconds: number
          updated_at: string
        }
        Insert: {
          answer_time_seconds: number
          campaign_id: string
          created_at?: string
          id?: string
          is_practice?: boolean
          max_takes: number
          position: number
          prompt: string
          think_time_seconds: number
          updated_at?: string
        }
        Update: {
          answer_time_seconds?: number
          campaign_id?: string
          created_at?: string
          id?: string
          is_practice?: boolean
          max_takes?: number
          position?: number
          prompt?: string
          think_time_seconds?: number
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "questions_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
        ]
      }
      session_accommodations: {
        Row: {
          campaign_id: string
          created_at: string
          extra_seconds: number
          extra_takes: number
          granted_by: string | null
          session_id: string
          time_factor: number
          updated_at: string
        }
        Insert: {
          campaign_id: string
          created_at?: string
          extra_seconds?: number
          extra_takes?: number
          granted_by?: string | null
          session_id: string
          time_factor?: number
          updated_at?: string
        }
        Update: {
          campaign_id?: string
          created_at?: string
          extra_seconds?: number
          extra_takes?: number
          granted_by?: string | null
          session_id?: string
          time_factor?: number
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "session_accommodations_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_accommodations_granted_by_fkey"
            columns: ["granted_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_accommodations_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: true
            referencedRelation: "interview_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      session_decisions: {
        Row: {
          campaign_id: string
          created_at: string
          decided_by: string | null
          decision: Database["public"]["Enums"]["session_decision"]
          id: string
          note: string
          session_id: string
          updated_at: string
        }
        Insert: {
          campaign_id: string
          created_at?: string
          decided_by?: string | null
          decision: Database["public"]["Enums"]["session_decision"]
          id?: string
          note?: string
          session_id: string
          updated_at?: string
        }
        Update: {
          campaign_id?: string
          created_at?: string
          decided_by?: string | null
          decision?: Database["public"]["Enums"]["session_decision"]
          id?: string
          note?: string
          session_id?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "session_decisions_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_decisions_decided_by_fkey"
            columns: ["decided_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "session_decisions_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: true
            referencedRelation: "interview_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      share_link_ratings: {
        Row: {
          campaign_id: string
          comment: string
          created_at: string
          id: string
          response_id: string
          score: number
          session_id: string
          share_link_id: string
        }
        Insert: {
          campaign_id: string
          comment?: string
          created_at?: string
          id?: string
          response_id: string
          score: number
          session_id: string
          share_link_id: string
        }
        Update: {
          campaign_id?: string
          comment?: string
          created_at?: string
          id?: string
          response_id?: string
          score?: number
          session_id?: string
          share_link_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "share_link_ratings_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "share_link_ratings_response_id_fkey"
            columns: ["response_id"]
            isOneToOne: false
            referencedRelation: "video_responses"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "share_link_ratings_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "interview_sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "share_link_ratings_share_link_id_fkey"
            columns: ["share_link_id"]
            isOneToOne: false
            referencedRelation: "share_links"
            referencedColumns: ["id"]
          },
        ]
      }
      share_link_views: {
        Row: {
          campaign_id: string
          id: number
          response_ids: string[]
          session_id: string
          share_link_id: string
          viewed_at: string
        }
        Insert: {
          campaign_id: string
          id?: never
          response_ids?: string[]
          session_id: string
          share_link_id: string
          viewed_at?: string
        }
        Update: {
          campaign_id?: string
          id?: never
          response_ids?: string[]
          session_id?: string
          share_link_id?: string
          viewed_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "share_link_views_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "share_link_views_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "interview_sessions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "share_link_views_share_link_id_fkey"
            columns: ["share_link_id"]
            isOneToOne: false
            referencedRelation: "share_links"
            referencedColumns: ["id"]
          },
        ]
      }
      share_links: {
        Row: {
          campaign_id: string
          created_at: string
          created_by: string | null
          expires_at: string
          id: string
          label: string
          mode: Database["public"]["Enums"]["share_link_mode"]
          revoked_at: string | null
          revoked_by: string | null
          session_id: string
        }
        Insert: {
          campaign_id: string
          created_at?: string
          created_by?: string | null
          expires_at: string
          id?: string
          label?: string
          mode?: Database["public"]["Enums"]["share_link_mode"]
          revoked_at?: string | null
          revoked_by?: string | null
          session_id: string
        }
        Update: {
          campaign_id?: string
          created_at?: string
          created_by?: string | null
          expires_at?: string
          id?: string
          label?: string
          mode?: Database["public"]["Enums"]["share_link_mode"]
          revoked_at?: string | null
          revoked_by?: string | null
          session_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "share_links_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "share_links_created_by_fkey"
            columns: ["created_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "share_links_revoked_by_fkey"
            columns: ["revoked_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "share_links_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "interview_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      video_deletions: {
        Row: {
          campaign_id: string | null
          deleted_at: string | null
          id: number
          is_prefix: boolean
          object_key: string
          reason: string
          requested_at: string
          requested_by: string | null
          response_id: string | null
          session_id: string | null
        }
        Insert: {
          campaign_id?: string | null
          deleted_at?: string | null
          id?: never
          is_prefix?: boolean
          object_key: string
          reason: string
          requested_at?: string
          requested_by?: string | null
          response_id?: string | null
          session_id?: string | null
        }
        Update: {
          campaign_id?: string | null
          deleted_at?: string | null
          id?: never
          is_prefix?: boolean
          object_key?: string
          reason?: string
          requested_at?: string
          requested_by?: string | null
          response_id?: string | null
          session_id?: string | null
        }
        Relationships: []
      }
      video_responses: {
        Row: {
          campaign_id: string
          content_type: string
          created_at: string
          duration_seconds: number | null
          id: string
          is_submitted: boolean
          object_key: string
          question_id: string
          session_id: string
          size_bytes: number | null
          status: Database["public"]["Enums"]["response_status"]
          submitted_at: string | null
          take_number: number
          uploaded_at: string | null
          video_deleted_at: string | null
        }
        Insert: {
          campaign_id: string
          content_type: string
          created_at?: string
          duration_seconds?: number | null
          id?: string
          is_submitted?: boolean
          object_key: string
          question_id: string
          session_id: string
          size_bytes?: number | null
          status?: Database["public"]["Enums"]["response_status"]
          submitted_at?: string | null
          take_number: number
          uploaded_at?: string | null
          video_deleted_at?: string | null
        }
        Update: {
          campaign_id?: string
          content_type?: string
          created_at?: string
          duration_seconds?: number | null
          id?: string
          is_submitted?: boolean
          object_key?: string
          question_id?: string
          session_id?: string
          size_bytes?: number | null
          status?: Database["public"]["Enums"]["response_status"]
          submitted_at?: string | null
          take_number?: number
          uploaded_at?: string | null
          video_deleted_at?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "video_responses_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "video_responses_question_id_fkey"
            columns: ["question_id"]
            isOneToOne: false
            referencedRelation: "questions"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "video_responses_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "interview_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      webhook_deliveries: {
        Row: {
          attempts: number
          created_at: string
          delivered_at: string | null
          endpoint_id: string
          event_id: string
          event_type: string
          id: string
          last_attempt_at: string | null
          last_status_code: number | null
          next_attempt_at: string
          organization_id: string
          status: string
          updated_at: string
        }
        Insert: {
          attempts?: number
          created_at?: string
          delivered_at?: string | null
          endpoint_id: string
          event_id: string
          event_type: string
          id?: string
          last_attempt_at?: string | null
          last_status_code?: number | null
          next_attempt_at?: string
          organization_id: string
          status?: string
          updated_at?: string
        }
        Update: {
          attempts?: number
          created_at?: string
          delivered_at?: string | null
          endpoint_id?: string
          event_id?: string
          event_type?: string
          id?: string
          last_attempt_at?: string | null
          last_status_code?: number | null
          next_attempt_at?: string
          organization_id?: string
          status?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "webhook_deliveries_endpoint_id_fkey"
            columns: ["endpoint_id"]
            isOneToOne: false
            referencedRelation: "webhook_endpoints"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "webhook_deliveries_organization_id_fkey"
            columns: ["organization_id"]
            isOneToOne: false
            referencedRelation: "organizations"
            referencedColumns: ["id"]
          },
        ]
      }
      webhook_delivery_attempts: {
        Row: {
          attempted_at: string
          delivery_id: string
          duration_ms: number
          endpoint_id: string
          error: string | null
          id: number
          organization_id: string
          outcome: string
          response_excerpt: string | null
          status_code: number | null
        }
        Insert: {
          attempted_at?: string
          delivery_id: string
          duration_ms: number
          endpoint_id: string
          error?: string | null
          id?: never
          organization_id: string
          outcome: string
          response_excerpt?: string | null
          status_code?: number | null
        }
        Update: {
          attempted_at?: string
          delivery_id?: string
          duration_ms?: number
          endpoint_id?: string
          error?: string | null
          id?: never
          organization_id?: string
          outcome?: string
          response_excerpt?: string | null
          status_code?: number | null
        }
        Relationships: [
          {
            foreignKeyName: "webhook_delivery_attempts_delivery_id_fkey"
            columns: ["delivery_id"]
            isOneToOne: false
            referencedRelation: "webhook_deliveries"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "webhook_delivery_attempts_endpoint_id_fkey"
            columns: ["endpoint_id"]
            isOneToOne: false
            referencedRelation: "webhook_endpoints"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "webhook_delivery_attempts_organization_id_fkey"
            columns: ["organization_id"]
            isOneToOne: false
            referencedRelation: "organizations"
            referencedColumns: ["id"]
          },
        ]
      }
      webhook_endpoints: {
        Row: {
          campaign_id: string | null
          created_at: string
          created_by: string | null
          description: string
          disabled_at: string | null
          disabled_reason: string | null
          enabled: boolean
          event_types: string[]
          failing_since: string | null
          id: string
          organization_id: string
          updated_at: string
          url: string
        }
        Insert: {
          campaign_id?: string | null
          created_at?: string
          created_by?: string | null
          description?: string
          disabled_at?: string | null
          disabled_reason?: string | null
          enabled?: boolean
          event_types: string[]
          failing_since?: string | null
          id?: string
          organization_id: string
          updated_at?: string
          url: string
        }
        Update: {
          campaign_id?: string | null
          created_at?: string
          created_by?: string | null
          description?: string
          disabled_at?: string | null
          disabled_reason?: string | null
          enabled?: boolean
          event_types?: string[]
          failing_since?: string | null
          id?: string
          organization_id?: string
          updated_at?: string
          url?: string
        }
        Relationships: [
          {
            foreignKeyName: "webhook_endpoints_campaign_id_fkey"
            columns: ["campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "webhook_endpoints_created_by_fkey"
            columns: ["created_by"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "webhook_endpoints_organization_id_fkey"
            columns: ["organization_id"]
            isOneToOne: false
            referencedRelation: "organizations"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      accept_privacy_notice: {
        Args: { p_session_id: string; p_version: number }
        Returns: {
          campaign_id: string
          candidate_id: string
          candidate_user_id: string | null
          completed_at: string | null
          created_at: string
          deadline: string
          email_attempts: number
          email_sent_at: string | null
          email_status: string | null
          expired_at: string | null
          id: string
          invited_at: string
          invited_by: string | null
          invited_email: string | null
          invited_first_name: string
          invited_last_name: string
          invited_linkedin_url: string | null
          invited_phone: string | null
          privacy_notice_accepted_at: string | null
          privacy_notice_version_accepted: number | null
          receipt_sent_at: string | null
          reminder_sent_at: string | null
          started_at: string | null
          status: Database["public"]["Enums"]["session_status"]
          time_zone: string | null
          updated_at: string
          withdrawn_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "interview_sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      analytics_dashboard: {
        Args: { p_attention_days?: number; p_attention_ratio?: number }
        Returns: Json
      }
      campaign_export: { Args: { p_campaign_id: string }; Returns: Json }
      campaign_report: { Args: { p_campaign_id: string }; Returns: Json }
      complete_response_upload: {
        Args: {
          p_duration_seconds?: number
          p_received_at?: string
          p_response_id: string
          p_size_bytes?: number
          p_verified_key?: string
        }
        Returns: {
          campaign_id: string
          content_type: string
          created_at: string
          duration_seconds: number | null
          id: string
          is_submitted: boolean
          object_key: string
          question_id: string
          session_id: string
          size_bytes: number | null
          status: Database["public"]["Enums"]["response_status"]
          submitted_at: string | null
          take_number: number
          uploaded_at: string | null
          video_deleted_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "video_responses"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      confirm_video_deletions: { Args: { p_ids: number[] }; Returns: number[] }
      create_share_link: {
        Args: {
          p_expires_at?: string
          p_label?: string
          p_mode?: Database["public"]["Enums"]["share_link_mode"]
          p_session_id: string
        }
        Returns: {
          created_at: string
          expires_at: string
          id: string
          label: string
          mode: Database["public"]["Enums"]["share_link_mode"]
          session_id: string
          token: string
        }[]
      }
      create_webhook_endpoint: {
        Args: {
          p_campaign_id?: string
          p_description?: string
          p_event_types: string[]
          p_organization_id: string
          p_url: string
        }
        Returns: Json
      }
      custom_access_token_hook: { Args: { event: Json }; Returns: Json }
      erase_session: {
        Args: { p_session_id: string }
        Returns: {
          campaign_id: string | null
          deleted_at: string | null
          id: number
          is_prefix: boolean
          object_key: string
          reason: string
          requested_at: string
          requested_by: string | null
          response_id: string | null
          session_id: string | null
        }[]
        SetofOptions: {
          from: "*"
          to: "video_deletions"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      expire_overdue_sessions: {
        Args: Record<PropertyKey, never>
        Returns: number
      }
      fail_response_upload: {
        Args: { p_response_id: string }
        Returns: {
          campaign_id: string
          content_type: string
          created_at: string
          duration_seconds: number | null
          id: string
          is_submitted: boolean
          object_key: string
          question_id: string
          session_id: string
          size_bytes: number | null
          status: Database["public"]["Enums"]["response_status"]
          submitted_at: string | null
          take_number: number
          uploaded_at: string | null
          video_deleted_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "video_responses"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      finish_interview: {
        Args: { p_session_id: string }
        Returns: {
          campaign_id: string
          candidate_id: string
          candidate_user_id: string | null
          completed_at: string | null
          created_at: string
          deadline: string
          email_attempts: number
          email_sent_at: string | null
          email_status: string | null
          expired_at: string | null
          id: string
          invited_at: string
          invited_by: string | null
          invited_email: string | null
          invited_first_name: string
          invited_last_name: string
          invited_linkedin_url: string | null
          invited_phone: string | null
          privacy_notice_accepted_at: string | null
          privacy_notice_version_accepted: number | null
          receipt_sent_at: string | null
          reminder_sent_at: string | null
          started_at: string | null
          status: Database["public"]["Enums"]["session_status"]
          time_zone: string | null
          updated_at: string
          withdrawn_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "interview_sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      me: { Args: Record<PropertyKey, never>; Returns: Json }
      my_data: { Args: Record<PropertyKey, never>; Returns: Json }
      my_interviews: {
        Args: Record<PropertyKey, never>
        Returns: {
          accommodation: Json
          answer_time_seconds: number
          answered_count: number
          campaign_id: string
          campaign_status: Database["public"]["Enums"]["campaign_status"]
          company: string
          completed_at: string
          deadline: string
          description: string
          end_date: string
          invited_at: string
          max_takes: number
          max_video_bytes: number
          privacy_notice: Json
          privacy_notice_accepted: boolean
          privacy_notice_accepted_at: string
          privacy_notice_version_accepted: number
          question_count: number
          session_id: string
          start_date: string
          started_at: string
          status: Database["public"]["Enums"]["session_status"]
          think_time_seconds: number
          time_zone: string
          title: string
        }[]
      }
      pending_reviews: {
        Args: { p_campaign_id?: string; p_limit?: number }
        Returns: {
          campaign_id: string
          question_id: string
          response_id: string
          session_id: string
          submitted_at: string
        }[]
      }
      queue_review_digests: {
        Args: Record<PropertyKey, never>
        Returns: number
      }
      reject_response_upload: {
        Args: { p_response_id: string }
        Returns: {
          campaign_id: string
          content_type: string
          created_at: string
          duration_seconds: number | null
          id: string
          is_submitted: boolean
          object_key: string
          question_id: string
          session_id: string
          size_bytes: number | null
          status: Database["public"]["Enums"]["response_status"]
          submitted_at: string | null
          take_number: number
          uploaded_at: string | null
          video_deleted_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "video_responses"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      reopen_session: {
        Args: { p_deadline: string; p_session_id: string }
        Returns: {
          campaign_id: string
          candidate_id: string
          candidate_user_id: string | null
          completed_at: string | null
          created_at: string
          deadline: string
          email_attempts: number
          email_sent_at: string | null
          email_status: string | null
          expired_at: string | null
          id: string
          invited_at: string
          invited_by: string | null
          invited_email: string | null
          invited_first_name: string
          invited_last_name: string
          invited_linkedin_url: string | null
          invited_phone: string | null
          privacy_notice_accepted_at: string | null
          privacy_notice_version_accepted: number | null
          receipt_sent_at: string | null
          reminder_sent_at: string | null
          started_at: string | null
          status: Database["public"]["Enums"]["session_status"]
          time_zone: string | null
          updated_at: string
          withdrawn_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "interview_sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      replay_webhook_delivery: {
        Args: { p_delivery_id: string }
        Returns: {
          attempts: number
          created_at: string
          delivered_at: string | null
          endpoint_id: string
          event_id: string
          event_type: string
          id: string
          last_attempt_at: string | null
          last_status_code: number | null
          next_attempt_at: string
          organization_id: string
          status: string
          updated_at: string
        }
        SetofOptions: {
          from: "*"
          to: "webhook_deliveries"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      reveal_next_question: { Args: { p_session_id: string }; Returns: Json }
      revoke_share_link: {
        Args: { p_share_link_id: string }
        Returns: {
          campaign_id: string
          created_at: string
          created_by: string | null
          expires_at: string
          id: string
          label: string
          mode: Database["public"]["Enums"]["share_link_mode"]
          revoked_at: string | null
          revoked_by: string | null
          session_id: string
        }
        SetofOptions: {
          from: "*"
          to: "share_links"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      rotate_webhook_secret: { Args: { p_endpoint_id: string }; Returns: Json }
      start_interview: {
        Args: { p_session_id: string }
        Returns: {
          campaign_id: string
          candidate_id: string
          candidate_user_id: string | null
          completed_at: string | null
          created_at: string
          deadline: string
          email_attempts: number
          email_sent_at: string | null
          email_status: string | null
          expired_at: string | null
          id: string
          invited_at: string
          invited_by: string | null
          invited_email: string | null
          invited_first_name: string
          invited_last_name: string
          invited_linkedin_url: string | null
          invited_phone: string | null
          privacy_notice_accepted_at: string | null
          privacy_notice_version_accepted: number | null
          receipt_sent_at: string | null
          reminder_sent_at: string | null
          started_at: string | null
          status: Database["public"]["Enums"]["session_status"]
          time_zone: string | null
          updated_at: string
          withdrawn_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "interview_sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      submit_response: {
        Args: { p_response_id: string }
        Returns: {
          campaign_id: string
          content_type: string
          created_at: string
          duration_seconds: number | null
          id: string
          is_submitted: boolean
          object_key: string
          question_id: string
          session_id: string
          size_bytes: number | null
          status: Database["public"]["Enums"]["response_status"]
          submitted_at: string | null
          take_number: number
          uploaded_at: string | null
          video_deleted_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "video_responses"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      take_video_deletions: {
        Args: { p_after_id?: number; p_limit?: number }
        Returns: {
          campaign_id: string | null
          deleted_at: string | null
          id: number
          is_prefix: boolean
          object_key: string
          reason: string
          requested_at: string
          requested_by: string | null
          response_id: string | null
          session_id: string | null
        }[]
        SetofOptions: {
          from: "*"
          to: "video_deletions"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      withdraw_interview: {
        Args: { p_session_id: string }
        Returns: {
          campaign_id: string
          candidate_id: string
          candidate_user_id: string | null
          completed_at: string | null
          created_at: string
          deadline: string
          email_attempts: number
          email_sent_at: string | null
          email_status: string | null
          expired_at: string | null
          id: string
          invited_at: string
          invited_by: string | null
          invited_email: string | null
          invited_first_name: string
          invited_last_name: string
          invited_linkedin_url: string | null
          invited_phone: string | null
          privacy_notice_accepted_at: string | null
          privacy_notice_version_accepted: number | null
          receipt_sent_at: string | null
          reminder_sent_at: string | null
          started_at: string | null
          status: Database["public"]["Enums"]["session_status"]
          time_zone: string | null
          updated_at: string
          withdrawn_at: string | null
        }
        SetofOptions: {
          from: "*"
          to: "interview_sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
    }
    Enums: {
      app_role: "hiring_manager" | "candidate" | "admin"
      campaign_status: "draft" | "active" | "closed" | "archived"
      collaborator_role: "reviewer" | "editor"
      organization_role: "owner" | "admin" | "member"
      response_status: "pending" | "uploaded" | "failed"
      session_decision: "advance" | "hold" | "reject"
      session_status:
        | "invited"
        | "in_progress"
        | "completed"
        | "expired"
        | "withdrawn"
      share_link_mode: "playback" | "playback_and_rating"
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  public: {
    Enums: {
      app_role: ["hiring_manager", "candidate", "admin"],
      campaign_status: ["draft", "active", "closed", "archived"],
      collaborator_role: ["reviewer", "editor"],
      organization_role: ["owner", "admin", "member"],
      response_status: ["pending", "uploaded", "failed"],
      session_decision: ["advance", "hold", "reject"],
      session_status: [
        "invited",
        "in_progress",
        "completed",
        "expired",
        "withdrawn",
      ],
      share_link_mode: ["playback", "playback_and_rating"],
    },
  },
} as const

